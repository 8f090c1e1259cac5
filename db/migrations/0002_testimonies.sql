CREATE TYPE "public"."age_band" AS ENUM('18-24', '25-34', '35-44', '45-54', '55+');--> statement-breakpoint
CREATE TYPE "public"."consent_method" AS ENUM('oral', 'written', 'intermediary');--> statement-breakpoint
CREATE TYPE "public"."currency" AS ENUM('USD', 'RUB', 'KPW', 'EUR', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."federal_district" AS ENUM('central', 'northwestern', 'southern', 'north-caucasian', 'volga', 'ural', 'siberian', 'far-eastern', 'unknown');--> statement-breakpoint
CREATE TYPE "public"."housing_kind" AS ENUM('shipping_container', 'unfinished_building', 'dormitory', 'other');--> statement-breakpoint
CREATE TYPE "public"."ilo_indicator" AS ENUM('abuse_of_vulnerability', 'deception', 'restriction_of_movement', 'isolation', 'physical_and_sexual_violence', 'intimidation_and_threats', 'retention_of_identity_documents', 'withholding_of_wages', 'debt_bondage', 'abusive_working_and_living_conditions', 'excessive_overtime');--> statement-breakpoint
CREATE TYPE "public"."injury_severity" AS ENUM('minor', 'serious', 'permanent', 'fatal');--> statement-breakpoint
CREATE TYPE "public"."ledger_paid" AS ENUM('yes', 'partly', 'no', 'unknown');--> statement-breakpoint
CREATE TYPE "public"."medical_care" AS ENUM('received', 'delayed', 'denied', 'none_needed');--> statement-breakpoint
CREATE TYPE "public"."outcome" AS ENUM('still_working', 'returned', 'escaped', 'transferred', 'unknown');--> statement-breakpoint
CREATE TYPE "public"."quote_status" AS ENUM('proposed', 'approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."sex" AS ENUM('female', 'male', 'unknown');--> statement-breakpoint
CREATE TYPE "public"."site_type" AS ENUM('construction', 'factory', 'logging', 'agriculture', 'fishing', 'services', 'other');--> statement-breakpoint
CREATE TYPE "public"."testimony_status" AS ENUM('draft', 'submitted', 'approved');--> statement-breakpoint
CREATE TYPE "public"."tri" AS ENUM('yes', 'no', 'unknown');--> statement-breakpoint
CREATE TYPE "public"."visa_type" AS ENUM('work', 'student', 'trainee', 'tourist', 'none', 'unknown');--> statement-breakpoint
CREATE TABLE "testimony_consent" (
	"testimony_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"internal" boolean DEFAULT true NOT NULL,
	"research" boolean DEFAULT false NOT NULL,
	"public_aggregate" boolean DEFAULT false NOT NULL,
	"public_quote" boolean DEFAULT false NOT NULL,
	"method" "consent_method" NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"withdrawal_reason" text
);
--> statement-breakpoint
CREATE TABLE "testimony_indicator" (
	"testimony_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"indicator" "ilo_indicator" NOT NULL,
	"answer" "tri" NOT NULL,
	"note" text,
	CONSTRAINT "testimony_indicator_testimony_id_indicator_pk" PRIMARY KEY("testimony_id","indicator")
);
--> statement-breakpoint
CREATE TABLE "testimony_injury" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"testimony_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"severity" "injury_severity" NOT NULL,
	"month" date,
	"care" "medical_care" NOT NULL,
	"kept_working" "tri" DEFAULT 'unknown' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "testimony_quote" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"testimony_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"original_text" text NOT NULL,
	"redacted_text" text NOT NULL,
	"status" "quote_status" DEFAULT 'proposed' NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subject" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"code" text NOT NULL,
	"sex" "sex" DEFAULT 'unknown' NOT NULL,
	"home_province" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subject_code_format" CHECK ("subject"."code" ~ '^W-[0-9A-HJKMNP-TV-Z]{6}$')
);
--> statement-breakpoint
CREATE TABLE "testimony" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"status" "testimony_status" DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"entered_by" uuid NOT NULL,
	"interviewer_id" uuid,
	"interview_date" date,
	"interview_language" text,
	"age_band" "age_band",
	"deployment_start" date,
	"deployment_end" date,
	"region" text,
	"federal_district" "federal_district",
	"site_type" "site_type",
	"visa_type" "visa_type",
	"outcome" "outcome",
	"shift_start" time,
	"shift_end" time,
	"days_per_week" numeric(2, 1),
	"rest_days_per_year" smallint,
	"pay_currency" "currency",
	"wage_paid" numeric(14, 2),
	"loyalty_contribution" numeric(14, 2),
	"ledger_credit" numeric(14, 2),
	"received_in_hand" numeric(14, 2),
	"ledger_paid" "ledger_paid",
	"housing" "housing_kind",
	"minders" "tri",
	"ideological_sessions" "tri",
	"phones_forbidden" "tri",
	"narrative" text,
	"interviewer_notes" text,
	"submitted_at" timestamp with time zone,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "testimony_days_per_week" CHECK ("testimony"."days_per_week" between 0 and 7),
	CONSTRAINT "testimony_rest_days" CHECK ("testimony"."rest_days_per_year" between 0 and 366),
	CONSTRAINT "testimony_amounts" CHECK (coalesce("testimony"."wage_paid", 0) >= 0 and coalesce("testimony"."loyalty_contribution", 0) >= 0 and coalesce("testimony"."ledger_credit", 0) >= 0 and coalesce("testimony"."received_in_hand", 0) >= 0)
);
--> statement-breakpoint
ALTER TABLE "testimony_consent" ADD CONSTRAINT "testimony_consent_testimony_id_testimony_id_fk" FOREIGN KEY ("testimony_id") REFERENCES "public"."testimony"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony_consent" ADD CONSTRAINT "testimony_consent_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony_consent" ADD CONSTRAINT "testimony_consent_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony_indicator" ADD CONSTRAINT "testimony_indicator_testimony_id_testimony_id_fk" FOREIGN KEY ("testimony_id") REFERENCES "public"."testimony"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony_indicator" ADD CONSTRAINT "testimony_indicator_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony_injury" ADD CONSTRAINT "testimony_injury_testimony_id_testimony_id_fk" FOREIGN KEY ("testimony_id") REFERENCES "public"."testimony"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony_injury" ADD CONSTRAINT "testimony_injury_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony_quote" ADD CONSTRAINT "testimony_quote_testimony_id_testimony_id_fk" FOREIGN KEY ("testimony_id") REFERENCES "public"."testimony"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony_quote" ADD CONSTRAINT "testimony_quote_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony_quote" ADD CONSTRAINT "testimony_quote_approved_by_app_user_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject" ADD CONSTRAINT "subject_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony" ADD CONSTRAINT "testimony_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony" ADD CONSTRAINT "testimony_subject_id_subject_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."subject"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony" ADD CONSTRAINT "testimony_entered_by_app_user_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony" ADD CONSTRAINT "testimony_interviewer_id_app_user_id_fk" FOREIGN KEY ("interviewer_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "testimony" ADD CONSTRAINT "testimony_approved_by_app_user_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "testimony_injury_testimony_idx" ON "testimony_injury" USING btree ("testimony_id");--> statement-breakpoint
CREATE INDEX "testimony_quote_testimony_idx" ON "testimony_quote" USING btree ("testimony_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subject_org_code_key" ON "subject" USING btree ("org_id","code");--> statement-breakpoint
CREATE INDEX "testimony_org_status_idx" ON "testimony" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "testimony_subject_idx" ON "testimony" USING btree ("subject_id");