CREATE TABLE "audit_checkpoint" (
	"id" bigint PRIMARY KEY NOT NULL,
	"last_event_id" bigint NOT NULL,
	"event_count" bigint NOT NULL,
	"chain_hash" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"every_events" integer NOT NULL,
	"every_minutes" integer NOT NULL,
	"public_key" text NOT NULL,
	"signature" text NOT NULL,
	CONSTRAINT "audit_checkpoint_last_event_id_unique" UNIQUE("last_event_id")
);
--> statement-breakpoint
-- Checkpoints are append-only like the events. The function now names the table it guards.
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_checkpoint_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_checkpoint
  FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoint_no_truncate
  BEFORE TRUNCATE ON audit_checkpoint
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
