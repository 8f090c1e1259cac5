-- A published version is frozen: its snapshot, hash, k, content and publication time never change,
-- and it is never deleted. Readers cite it; a correction is a new version, a withdrawal a retraction.
CREATE OR REPLACE FUNCTION summary_version_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'summary versions cannot be truncated';
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'published' THEN
      RAISE EXCEPTION 'a published summary version cannot be deleted';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'published' AND ROW(NEW.*) IS DISTINCT FROM ROW(OLD.*) THEN
    RAISE EXCEPTION 'a published summary version is immutable; publish a new version instead';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER summary_version_frozen BEFORE UPDATE OR DELETE ON summary_version
  FOR EACH ROW EXECUTE FUNCTION summary_version_frozen();
--> statement-breakpoint
CREATE TRIGGER summary_version_no_truncate BEFORE TRUNCATE ON summary_version
  FOR EACH STATEMENT EXECUTE FUNCTION summary_version_frozen();
