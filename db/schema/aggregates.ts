import { boolean, index, integer, pgEnum, pgTable, primaryKey, real, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { organisation } from './organisations';
import { ageBand, federalDistrict, housingKind, outcome, sex, siteType, subject, testimony, visaType } from './testimonies';

// What each worker contributes to aggregates, per audience: the values of the subject's latest
// approved testimony whose consent covers that audience and is not withdrawn. Derived data, written
// by lib/aggregates/facts.ts in the same transaction as every change that can alter it (approval,
// edit, consent withdrawal), so it is never stale; `npm run cli -- facts verify` recomputes and compares.
// Narrow on purpose: a million workers are scanned for one dashboard answer. Partitioned by audience
// (migration 0011, hand-written: drizzle has no partitions), so each answer reads one audience's rows.
export const factAudience = pgEnum('fact_audience', ['internal', 'research', 'public_aggregate']);

export const subjectFact = pgTable(
  'subject_fact',
  {
    audience: factAudience().notNull(),
    subjectId: uuid()
      .notNull()
      .references(() => subject.id, { onDelete: 'cascade' }),
    orgId: uuid()
      .notNull()
      .references(() => organisation.id),
    testimonyId: uuid()
      .notNull()
      .references(() => testimony.id, { onDelete: 'cascade' }),
    /**
     * The subject's record key (subject.record_key, 0 ≤ key < 2^31): a cell's key is the sum of its
     * workers' keys mod 2^31, summed in the same GROUP BY as the count (lib/aggregates/query.ts).
     */
    recordKey: integer().notNull(),
    /** Quarter of the deployment's start as year × 4 + quarter − 1 (2024Q1 = 8096); null when unknown. */
    quarter: integer(),
    federalDistrict: federalDistrict(),
    region: text(),
    siteType: siteType(),
    visaType: visaType(),
    outcome: outcome(),
    ageBand: ageBand(),
    sex: sex(),
    hoursPerDay: real(),
    hoursPerWeek: real(),
    restDaysPerYear: smallint(),
    /** Share of the wage withheld, 0–1; null when unknown or the amounts contradict each other. */
    shareWithheld: real(),
    loyaltyUsd: real(),
    ledgerUsd: real(),
    anyInjury: boolean().notNull(),
    careDelayedOrDenied: boolean().notNull(),
    keptWorkingInjured: boolean().notNull(),
    /** ILO indicators as bit sets (bit i = ILO_INDICATOR_KEYS[i]): answered yes, answered yes or no. */
    iloYes: integer().notNull(),
    iloKnown: integer().notNull(),
    housing: housingKind(),
    /** Tri-state answers: true yes, false no, null unknown or not asked. */
    minders: boolean(),
    phonesForbidden: boolean(),
  },
  (t) => [primaryKey({ columns: [t.audience, t.subjectId] }), index('subject_fact_org_idx').on(t.audience, t.orgId), index('subject_fact_testimony_idx').on(t.testimonyId), index('subject_fact_subject_idx').on(t.subjectId)],
);

export type SubjectFact = typeof subjectFact.$inferInsert;
