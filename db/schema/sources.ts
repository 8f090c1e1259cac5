import { sql } from 'drizzle-orm';
import { check, customType, date, index, integer, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisation } from './organisations';
import { testimony } from './testimonies';
import { appUser } from './users';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

// Admiralty grading: how reliable the source is (A–F) and how credible this piece of information is (1–6).
export const sourceReliability = pgEnum('source_reliability', ['A', 'B', 'C', 'D', 'E', 'F']);
export const informationCredibility = pgEnum('information_credibility', ['1', '2', '3', '4', '5', '6']);
export const sourceVisibility = pgEnum('source_visibility', ['public', 'internal']);
export const claimValueKind = pgEnum('claim_value_kind', ['number', 'range', 'text']);
export const sourceRelation = pgEnum('source_relation', ['corroborates', 'contradicts', 'context']);

/**
 * A report as captured. The text is never changed after capture (a trigger refuses it): a
 * correction is a new capture. Identical normalised text in one organisation is one report.
 */
export const sourceReport = pgTable(
  'source_report',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull().references(() => organisation.id),
    title: text().notNull(),
    publisher: text(),
    address: text(),
    language: text().notNull(), // ISO 639-1, detected when not given
    publishedOn: date(), // unknown for many reports
    capturedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    capturedBy: uuid().references(() => appUser.id),
    capturedText: text().notNull(),
    textHash: text().notNull(), // SHA-256 (hex) of the normalised text
    reliability: sourceReliability().notNull().default('F'),
    credibility: informationCredibility().notNull().default('6'),
    visibility: sourceVisibility().notNull().default('internal'),
    // 'simple' words of title and text, plus the report language's own stemming where PostgreSQL has it.
    searchVector: tsvector().notNull(),
  },
  (t) => [
    uniqueIndex('source_report_org_hash_key').on(t.orgId, t.textHash),
    index('source_report_org_captured_idx').on(t.orgId, t.capturedAt),
    index('source_report_visibility_idx').on(t.visibility),
    index('source_report_search_idx').using('gin', t.searchVector),
    check('source_report_hash_format', sql`${t.textHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

/** A question sources answer ("north-korean-entries-to-russia"), kept per organisation. */
export const claimQuestion = pgTable(
  'claim_question',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull().references(() => organisation.id),
    key: text().notNull(),
    title: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('claim_question_org_key').on(t.orgId, t.key), check('claim_question_key_format', sql`${t.key} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)],
);

/** What one source says on one question, standing on an excerpt of its captured text. */
export const claim = pgTable(
  'claim',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull().references(() => organisation.id),
    questionId: uuid().notNull().references(() => claimQuestion.id),
    sourceId: uuid().notNull().references(() => sourceReport.id),
    valueKind: claimValueKind().notNull(),
    valueLow: numeric({ precision: 20, scale: 4, mode: 'number' }), // number, or the low end of a range
    valueHigh: numeric({ precision: 20, scale: 4, mode: 'number' }), // the high end of a range
    valueText: text(),
    unit: text(),
    periodStart: date(),
    periodEnd: date(),
    excerptStart: integer().notNull(), // offsets in UTF-16 code units of the captured text
    excerptEnd: integer().notNull(),
    excerpt: text().notNull(),
    createdBy: uuid().references(() => appUser.id),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('claim_org_question_idx').on(t.orgId, t.questionId),
    index('claim_source_idx').on(t.sourceId),
    check('claim_excerpt_offsets', sql`${t.excerptStart} >= 0 and ${t.excerptEnd} > ${t.excerptStart}`),
    check('claim_period_order', sql`${t.periodStart} is null or ${t.periodEnd} is null or ${t.periodStart} <= ${t.periodEnd}`),
  ],
);

/** A testimony's link to a source report: corroborates, contradicts, or gives context. */
export const testimonySource = pgTable(
  'testimony_source',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull().references(() => organisation.id),
    testimonyId: uuid()
      .notNull()
      .references(() => testimony.id, { onDelete: 'cascade' }),
    sourceId: uuid().notNull().references(() => sourceReport.id),
    relation: sourceRelation().notNull(),
    note: text(),
    createdBy: uuid().references(() => appUser.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('testimony_source_key').on(t.testimonyId, t.sourceId), index('testimony_source_source_idx').on(t.sourceId)],
);

export type SourceReport = typeof sourceReport.$inferSelect;
export type Claim = typeof claim.$inferSelect;
export type ClaimQuestion = typeof claimQuestion.$inferSelect;
