CREATE TYPE "public"."summary_language" AS ENUM('en', 'ko');--> statement-breakpoint
CREATE TYPE "public"."summary_version_status" AS ENUM('draft', 'in_review', 'published', 'discarded');--> statement-breakpoint
CREATE TABLE "summary" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"language" "summary_language" NOT NULL,
	"translation_id" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"flagged_at" timestamp with time zone,
	"retracted_at" timestamp with time zone,
	"retracted_by" uuid,
	"retraction_reason" text,
	CONSTRAINT "summary_slug_format" CHECK ("summary"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length("summary"."slug") <= 80)
);
--> statement-breakpoint
CREATE TABLE "summary_version" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"summary_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"status" "summary_version_status" DEFAULT 'draft' NOT NULL,
	"content" jsonb NOT NULL,
	"author_id" uuid NOT NULL,
	"approver_id" uuid,
	"revision" integer DEFAULT 1 NOT NULL,
	"snapshot" jsonb,
	"snapshot_sha256" text,
	"k" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"published_at" timestamp (3) with time zone,
	CONSTRAINT "summary_version_published_has_snapshot" CHECK (("summary_version"."status" = 'published') = ("summary_version"."snapshot" is not null and "summary_version"."snapshot_sha256" is not null and "summary_version"."k" >= 3 and "summary_version"."published_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "summary" ADD CONSTRAINT "summary_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "summary" ADD CONSTRAINT "summary_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "summary" ADD CONSTRAINT "summary_retracted_by_app_user_id_fk" FOREIGN KEY ("retracted_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "summary_version" ADD CONSTRAINT "summary_version_summary_id_summary_id_fk" FOREIGN KEY ("summary_id") REFERENCES "public"."summary"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "summary_version" ADD CONSTRAINT "summary_version_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "summary_version" ADD CONSTRAINT "summary_version_author_id_app_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "summary_version" ADD CONSTRAINT "summary_version_approver_id_app_user_id_fk" FOREIGN KEY ("approver_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "summary_slug_key" ON "summary" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "summary_org_idx" ON "summary" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "summary_version_number_key" ON "summary_version" USING btree ("summary_id","number");--> statement-breakpoint
CREATE INDEX "summary_version_published_idx" ON "summary_version" USING btree ("status","published_at");--> statement-breakpoint
CREATE UNIQUE INDEX "summary_version_open_key" ON "summary_version" USING btree ("summary_id") WHERE "summary_version"."status" in ('draft', 'in_review');