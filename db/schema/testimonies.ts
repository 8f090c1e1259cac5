import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  time,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisation } from './organisations';
import { appUser } from './users';

// Enumerations of the record. lib/testimonies/domain holds their labels and the rules around them.
export const testimonyStatus = pgEnum('testimony_status', ['draft', 'submitted', 'approved']);
export const ageBand = pgEnum('age_band', ['18-24', '25-34', '35-44', '45-54', '55+']);
export const sex = pgEnum('sex', ['female', 'male', 'unknown']);
export const federalDistrict = pgEnum('federal_district', [
  'central',
  'northwestern',
  'southern',
  'north-caucasian',
  'volga',
  'ural',
  'siberian',
  'far-eastern',
  'unknown',
]);
export const siteType = pgEnum('site_type', ['construction', 'factory', 'logging', 'agriculture', 'fishing', 'services', 'other']);
export const visaType = pgEnum('visa_type', ['work', 'student', 'trainee', 'tourist', 'none', 'unknown']);
export const outcome = pgEnum('outcome', ['still_working', 'returned', 'escaped', 'transferred', 'unknown']);
export const currency = pgEnum('currency', ['USD', 'RUB', 'KPW', 'EUR', 'OTHER']);
export const tri = pgEnum('tri', ['yes', 'no', 'unknown']);
export const ledgerPaid = pgEnum('ledger_paid', ['yes', 'partly', 'no', 'unknown']);
export const housingKind = pgEnum('housing_kind', ['shipping_container', 'unfinished_building', 'dormitory', 'other']);
export const injurySeverity = pgEnum('injury_severity', ['minor', 'serious', 'permanent', 'fatal']);
export const medicalCare = pgEnum('medical_care', ['received', 'delayed', 'denied', 'none_needed']);
export const consentMethod = pgEnum('consent_method', ['oral', 'written', 'intermediary']);
export const iloIndicator = pgEnum('ilo_indicator', [
  'abuse_of_vulnerability',
  'deception',
  'restriction_of_movement',
  'isolation',
  'physical_and_sexual_violence',
  'intimidation_and_threats',
  'retention_of_identity_documents',
  'withholding_of_wages',
  'debt_bondage',
  'abusive_working_and_living_conditions',
  'excessive_overtime',
]);
export const quoteStatus = pgEnum('quote_status', ['proposed', 'approved', 'rejected']);

/** A worker, by generated code only: no field anywhere takes a real name. */
export const subject = pgTable(
  'subject',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull().references(() => organisation.id),
    code: text().notNull(), // W- + 6 Crockford base32
    sex: sex().notNull().default('unknown'),
    homeProvince: text(), // never public, never in researcher aggregates
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * The record key of the cell-key method (lib/disclosure/cell-key.ts), drawn once when the subject
     * is made and never changed, so edits, a return to draft or a withdrawal and a new consent keep the
     * worker's noise. Copied into subject_fact; never shown, never exported.
     */
    recordKey: integer()
      .notNull()
      .default(sql`floor(random() * 2147483648)::integer`),
  },
  (t) => [uniqueIndex('subject_org_code_key').on(t.orgId, t.code), check('subject_code_format', sql`${t.code} ~ '^W-[0-9A-HJKMNP-TV-Z]{6}$'`)],
);

/** One interview. Aggregates count subjects: the latest approved testimony of a subject speaks for it. */
export const testimony = pgTable(
  'testimony',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull().references(() => organisation.id),
    subjectId: uuid().notNull().references(() => subject.id),
    status: testimonyStatus().notNull().default('draft'),
    version: integer().notNull().default(1), // optimistic locking
    enteredBy: uuid().notNull().references(() => appUser.id),
    interviewerId: uuid().references(() => appUser.id),
    interviewDate: date(),
    interviewLanguage: text(),
    ageBand: ageBand(),
    // deployment (months stored as the first day of the month)
    deploymentStart: date(),
    deploymentEnd: date(),
    region: text(), // federal subject code from lib/testimonies/domain/regions.ts, or 'other'
    federalDistrict: federalDistrict(), // derived from region, stored so aggregates can group on it
    siteType: siteType(),
    visaType: visaType(),
    outcome: outcome(),
    // hours
    shiftStart: time(),
    shiftEnd: time(),
    daysPerWeek: numeric({ precision: 2, scale: 1, mode: 'number' }),
    restDaysPerYear: smallint(),
    // pay, a month
    payCurrency: currency(),
    wagePaid: numeric({ precision: 14, scale: 2, mode: 'number' }),
    loyaltyContribution: numeric({ precision: 14, scale: 2, mode: 'number' }),
    ledgerCredit: numeric({ precision: 14, scale: 2, mode: 'number' }),
    receivedInHand: numeric({ precision: 14, scale: 2, mode: 'number' }),
    ledgerPaid: ledgerPaid(),
    // conditions
    housing: housingKind(),
    minders: tri(),
    ideologicalSessions: tri(),
    phonesForbidden: tri(),
    // encrypted by the app (lib/crypto/envelope.ts), bound to table, column and row id
    narrative: text(),
    interviewerNotes: text(),
    submittedAt: timestamp({ withTimezone: true }),
    approvedBy: uuid().references(() => appUser.id),
    approvedAt: timestamp({ withTimezone: true }),
    // Millisecond precision: list cursors carry this value through JavaScript, which has no microseconds.
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('testimony_org_created_idx').on(t.orgId, t.createdAt, t.id),
    index('testimony_org_status_idx').on(t.orgId, t.status),
    index('testimony_subject_idx').on(t.subjectId),
    check('testimony_days_per_week', sql`${t.daysPerWeek} between 0 and 7`),
    check('testimony_rest_days', sql`${t.restDaysPerYear} between 0 and 366`),
    check('testimony_amounts', sql`coalesce(${t.wagePaid}, 0) >= 0 and coalesce(${t.loyaltyContribution}, 0) >= 0 and coalesce(${t.ledgerCredit}, 0) >= 0 and coalesce(${t.receivedInHand}, 0) >= 0`),
  ],
);

/** Consent of one testimony: which audiences it may reach, and its withdrawal (effective at once). */
export const consent = pgTable('testimony_consent', {
  testimonyId: uuid()
    .primaryKey()
    .references(() => testimony.id, { onDelete: 'cascade' }),
  orgId: uuid().notNull().references(() => organisation.id),
  internal: boolean().notNull().default(true),
  research: boolean().notNull().default(false),
  publicAggregate: boolean().notNull().default(false),
  publicQuote: boolean().notNull().default(false),
  method: consentMethod().notNull(),
  recordedAt: timestamp({ withTimezone: true }).notNull(),
  recordedBy: uuid().notNull().references(() => appUser.id),
  withdrawnAt: timestamp({ withTimezone: true }),
  withdrawalReason: text(), // encrypted
});

export const injury = pgTable(
  'testimony_injury',
  {
    id: uuid().primaryKey().defaultRandom(),
    testimonyId: uuid()
      .notNull()
      .references(() => testimony.id, { onDelete: 'cascade' }),
    orgId: uuid().notNull().references(() => organisation.id),
    kind: text().notNull(),
    severity: injurySeverity().notNull(),
    month: date(),
    care: medicalCare().notNull(),
    keptWorking: tri().notNull().default('unknown'),
  },
  (t) => [index('testimony_injury_testimony_idx').on(t.testimonyId)],
);

export const indicator = pgTable(
  'testimony_indicator',
  {
    testimonyId: uuid()
      .notNull()
      .references(() => testimony.id, { onDelete: 'cascade' }),
    orgId: uuid().notNull().references(() => organisation.id),
    indicator: iloIndicator().notNull(),
    answer: tri().notNull(),
    note: text(), // encrypted
  },
  (t) => [primaryKey({ columns: [t.testimonyId, t.indicator] })],
);

/** An excerpt proposed for publication: original and redaction encrypted; only the approved redaction may go out (into a snapshot). */
export const quote = pgTable(
  'testimony_quote',
  {
    id: uuid().primaryKey().defaultRandom(),
    testimonyId: uuid()
      .notNull()
      .references(() => testimony.id, { onDelete: 'cascade' }),
    orgId: uuid().notNull().references(() => organisation.id),
    originalText: text().notNull(), // encrypted
    redactedText: text().notNull(), // encrypted (lib/testimonies/quotes.ts sealRedaction)
    status: quoteStatus().notNull().default('proposed'),
    /** Who proposed the excerpt: they may not approve it (two people see every published quote). */
    proposedBy: uuid().references(() => appUser.id),
    approvedBy: uuid().references(() => appUser.id),
    approvedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('testimony_quote_testimony_idx').on(t.testimonyId)],
);

export type Testimony = typeof testimony.$inferSelect;
export type Subject = typeof subject.$inferSelect;
export type Consent = typeof consent.$inferSelect;

/** What a caseworker has typed into a testimony form and not yet saved: kept server-side, encrypted. */
export const formDraft = pgTable(
  'form_draft',
  {
    userId: uuid()
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    orgId: uuid().notNull().references(() => organisation.id),
    formKey: text().notNull(), // 'new' or 'edit:<testimony id>'
    payload: text().notNull(), // encrypted JSON of the form's fields
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.formKey] })],
);
