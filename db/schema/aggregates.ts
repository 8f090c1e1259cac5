import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgEnum, pgTable, primaryKey, real, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisation } from './organisations';
import { appUser } from './users';
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

// The researchers' budget of distinct tables (issue 15, lib/aggregates/budget.ts): each table a
// researcher was answered, once, with when it was first asked. A repeat finds its row and is free; a
// new table counts against the rolling window. In PostgreSQL, so every instance sees the same use.
export const aggregateTableUse = pgTable(
  'aggregate_table_use',
  {
    userId: uuid()
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    orgId: uuid()
      .notNull()
      .references(() => organisation.id),
    /** SHA-256 of the question in canonical form (lib/aggregates/budget.ts tableKey); the audit log keeps the question itself. */
    tableKey: text().notNull(),
    firstAskedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tableKey] }), index('aggregate_table_use_window_idx').on(t.userId, t.firstAskedAt)],
);

/** An admin's extension of one researcher's budget: `tables` more distinct tables until `expiresAt` (one window after the grant). */
export const aggregateBudgetGrant = pgTable(
  'aggregate_budget_grant',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    orgId: uuid()
      .notNull()
      .references(() => organisation.id),
    tables: integer().notNull(),
    grantedBy: uuid()
      .notNull()
      .references(() => appUser.id),
    grantedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('aggregate_budget_grant_user_idx').on(t.userId, t.expiresAt), check('aggregate_budget_grant_tables', sql`${t.tables} > 0`)],
);
