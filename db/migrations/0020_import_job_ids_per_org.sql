-- Import job ids are chosen by the uploading page: they become names within an organisation, so an id
-- another organisation used no longer answers 409 (which told anyone that the id exists).
ALTER TABLE "import_job" DROP CONSTRAINT "import_job_pkey";--> statement-breakpoint
ALTER TABLE "import_job" ADD CONSTRAINT "import_job_org_id_id_pk" PRIMARY KEY("org_id","id");
