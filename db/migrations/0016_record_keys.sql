-- Cell-key method (issue 15): a random record key per subject, drawn once (the volatile default gives
-- every existing subject its own), copied into its facts; a cell's key is the sum of its workers' keys.
ALTER TABLE "subject" ADD COLUMN "record_key" integer DEFAULT floor(random() * 2147483648)::integer NOT NULL;--> statement-breakpoint
ALTER TABLE "subject_fact" ADD COLUMN "record_key" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "subject_fact" SET "record_key" = "subject"."record_key" FROM "subject" WHERE "subject"."id" = "subject_fact"."subject_id";--> statement-breakpoint
ALTER TABLE "subject_fact" ALTER COLUMN "record_key" DROP DEFAULT;
