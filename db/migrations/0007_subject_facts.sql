CREATE TYPE "public"."fact_audience" AS ENUM('internal', 'research', 'public_aggregate');--> statement-breakpoint
CREATE TABLE "subject_fact" (
	"audience" "fact_audience" NOT NULL,
	"subject_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"testimony_id" uuid NOT NULL,
	"quarter" integer,
	"federal_district" "federal_district",
	"region" text,
	"site_type" "site_type",
	"visa_type" "visa_type",
	"outcome" "outcome",
	"age_band" "age_band",
	"sex" "sex",
	"hours_per_day" real,
	"hours_per_week" real,
	"rest_days_per_year" smallint,
	"share_withheld" real,
	"loyalty_usd" real,
	"ledger_usd" real,
	"any_injury" boolean NOT NULL,
	"care_delayed_or_denied" boolean NOT NULL,
	"kept_working_injured" boolean NOT NULL,
	"ilo_yes" integer NOT NULL,
	"ilo_known" integer NOT NULL,
	"housing" "housing_kind",
	"minders" boolean,
	"phones_forbidden" boolean,
	CONSTRAINT "subject_fact_audience_subject_id_pk" PRIMARY KEY("audience","subject_id")
);
--> statement-breakpoint
ALTER TABLE "subject_fact" ADD CONSTRAINT "subject_fact_subject_id_subject_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."subject"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_fact" ADD CONSTRAINT "subject_fact_org_id_organisation_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_fact" ADD CONSTRAINT "subject_fact_testimony_id_testimony_id_fk" FOREIGN KEY ("testimony_id") REFERENCES "public"."testimony"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "subject_fact_org_idx" ON "subject_fact" USING btree ("audience","org_id");--> statement-breakpoint
CREATE INDEX "subject_fact_testimony_idx" ON "subject_fact" USING btree ("testimony_id");