-- A captured report's text, its hash, its organisation and capture time never change: a correction is a new capture.
CREATE OR REPLACE FUNCTION source_report_text_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.captured_text IS DISTINCT FROM OLD.captured_text
     OR NEW.text_hash IS DISTINCT FROM OLD.text_hash
     OR NEW.org_id IS DISTINCT FROM OLD.org_id
     OR NEW.captured_at IS DISTINCT FROM OLD.captured_at THEN
    RAISE EXCEPTION 'source_report captured text is immutable; capture a corrected text as a new report';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER source_report_text_immutable BEFORE UPDATE ON source_report
  FOR EACH ROW EXECUTE FUNCTION source_report_text_immutable();
