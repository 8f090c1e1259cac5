-- Cell-key method (issue 15): a random record key per subject, drawn once (the volatile default gives
-- every existing subject its own), copied into its facts; a cell's key is the sum of its workers' keys.
ALTER TABLE "subject" ADD COLUMN "record_key" integer DEFAULT floor(random() * 2147483648)::integer NOT NULL;--> statement-breakpoint
ALTER TABLE "subject_fact" ADD COLUMN "record_key" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "subject_fact" SET "record_key" = "subject"."record_key" FROM "subject" WHERE "subject"."id" = "subject_fact"."subject_id";--> statement-breakpoint
ALTER TABLE "subject_fact" ALTER COLUMN "record_key" DROP DEFAULT;
--> statement-breakpoint
CREATE TABLE "aggregate_budget_grant" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"tables" integer NOT NULL,
	"granted_by" uuid NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "aggregate_budget_grant_tables" CHECK ("aggregate_budget_grant"."tables" > 0)
);
--> statement-breakpoint
CREATE TABLE "aggregate_table_use" (
	"user_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"table_key" text NOT NULL,
	"first_asked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "aggregate_table_use_user_id_table_key_pk" PRIMARY KEY("user_id","table_key")
);
--> statement-breakpoint
ALTER TABLE "aggregate_budget_grant" ADD CONSTRAINT "aggregate_budget_grant_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aggregate_budget_grant" ADD CONSTRAINT "aggregate_budget_grant_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aggregate_budget_grant" ADD CONSTRAINT "aggregate_budget_grant_granted_by_app_user_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aggregate_table_use" ADD CONSTRAINT "aggregate_table_use_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aggregate_table_use" ADD CONSTRAINT "aggregate_table_use_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "aggregate_budget_grant_user_idx" ON "aggregate_budget_grant" USING btree ("user_id","expires_at");--> statement-breakpoint
CREATE INDEX "aggregate_table_use_window_idx" ON "aggregate_table_use" USING btree ("user_id","first_asked_at");