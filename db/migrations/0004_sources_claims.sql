CREATE TYPE "public"."claim_value_kind" AS ENUM('number', 'range', 'text');--> statement-breakpoint
CREATE TYPE "public"."information_credibility" AS ENUM('1', '2', '3', '4', '5', '6');--> statement-breakpoint
CREATE TYPE "public"."source_relation" AS ENUM('corroborates', 'contradicts', 'context');--> statement-breakpoint
CREATE TYPE "public"."source_reliability" AS ENUM('A', 'B', 'C', 'D', 'E', 'F');--> statement-breakpoint
CREATE TYPE "public"."source_visibility" AS ENUM('public', 'internal');--> statement-breakpoint
CREATE TABLE "claim" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"question_id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"value_kind" "claim_value_kind" NOT NULL,
	"value_low" numeric(20, 4),
	"value_high" numeric(20, 4),
	"value_text" text,
	"unit" text,
	"period_start" date,
	"period_end" date,
	"excerpt_start" integer NOT NULL,
	"excerpt_end" integer NOT NULL,
	"excerpt" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claim_excerpt_offsets" CHECK ("claim"."excerpt_start" >= 0 and "claim"."excerpt_end" > "claim"."excerpt_start"),
	CONSTRAINT "claim_period_order" CHECK ("claim"."period_start" is null or "claim"."period_end" is null or "claim"."period_start" <= "claim"."period_end")
);
--> statement-breakpoint
CREATE TABLE "claim_question" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claim_question_key_format" CHECK ("claim_question"."key" ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
);
--> statement-breakpoint
CREATE TABLE "source_report" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"publisher" text,
	"address" text,
	"language" text NOT NULL,
	"published_on" date,
	"captured_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"captured_by" uuid,
	"captured_text" text NOT NULL,
	"text_hash" text NOT NULL,
	"reliability" "source_reliability" DEFAULT 'F' NOT NULL,
	"credibility" "information_credibility" DEFAULT '6' NOT NULL,
	"visibility" "source_visibility" DEFAULT 'internal' NOT NULL,
	"search_vector" "tsvector" NOT NULL,
	CONSTRAINT "source_report_hash_format" CHECK ("source_report"."text_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "testimony_source" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"testimony_id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"relation" "source_relation" NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "claim" ADD CONSTRAINT "claim_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim" ADD CONSTRAINT "claim_question_id_claim_question_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."claim_question"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim" ADD CONSTRAINT "claim_source_id_source_report_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."source_report"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim" ADD CONSTRAINT "claim_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_question" ADD CONSTRAINT "claim_question_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_report" ADD CONSTRAINT "source_report_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_report" ADD CONSTRAINT "source_report_captured_by_app_user_id_fk" FOREIGN KEY ("captured_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony_source" ADD CONSTRAINT "testimony_source_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony_source" ADD CONSTRAINT "testimony_source_testimony_id_testimony_id_fk" FOREIGN KEY ("testimony_id") REFERENCES "public"."testimony"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony_source" ADD CONSTRAINT "testimony_source_source_id_source_report_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."source_report"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony_source" ADD CONSTRAINT "testimony_source_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claim_org_question_idx" ON "claim" USING btree ("org_id","question_id");--> statement-breakpoint
CREATE INDEX "claim_source_idx" ON "claim" USING btree ("source_id");--> statement-breakpoint
CREATE UNIQUE INDEX "claim_question_org_key" ON "claim_question" USING btree ("org_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "source_report_org_hash_key" ON "source_report" USING btree ("org_id","text_hash");--> statement-breakpoint
CREATE INDEX "source_report_org_captured_idx" ON "source_report" USING btree ("org_id","captured_at");--> statement-breakpoint
CREATE INDEX "source_report_visibility_idx" ON "source_report" USING btree ("visibility");--> statement-breakpoint
CREATE INDEX "source_report_search_idx" ON "source_report" USING gin ("search_vector");--> statement-breakpoint
CREATE UNIQUE INDEX "testimony_source_key" ON "testimony_source" USING btree ("testimony_id","source_id");--> statement-breakpoint
CREATE INDEX "testimony_source_source_idx" ON "testimony_source" USING btree ("source_id");