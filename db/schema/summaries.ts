import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisation } from './organisations';
import { appUser } from './users';

// Public summaries (issue 7). A summary is the stable address (slug); its versions carry the content.
// A version is a draft, then in review, then published with a frozen snapshot (every number, flag,
// quote and citation as JSON, its SHA-256 and the k used). A trigger refuses any change to a published
// snapshot (migration 0009). Retraction is on the summary: the page stays, the numbers go.
export const summaryVersionStatus = pgEnum('summary_version_status', ['draft', 'in_review', 'published', 'discarded']);
export const summaryLanguage = pgEnum('summary_language', ['en', 'ko']);

export const summary = pgTable(
  'summary',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisation.id),
    slug: text().notNull(),
    language: summaryLanguage().notNull(),
    /** The same summary in the other language (both point at each other). */
    translationId: uuid(),
    createdBy: uuid()
      .notNull()
      .references(() => appUser.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Set when a worker counted in the published snapshot withdrew consent: reviewers should publish a new version. */
    flaggedAt: timestamp({ withTimezone: true }),
    retractedAt: timestamp({ withTimezone: true }),
    retractedBy: uuid().references(() => appUser.id),
    retractionReason: text(),
  },
  (t) => [uniqueIndex('summary_slug_key').on(t.slug), index('summary_org_idx').on(t.orgId), check('summary_slug_format', sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(${t.slug}) <= 80`)],
);

export const summaryVersion = pgTable(
  'summary_version',
  {
    id: uuid().primaryKey().defaultRandom(),
    summaryId: uuid()
      .notNull()
      .references(() => summary.id),
    orgId: uuid()
      .notNull()
      .references(() => organisation.id),
    number: integer().notNull(),
    status: summaryVersionStatus().notNull().default('draft'),
    /** What the author wrote: title, scope, sections, text, chosen quotes, sources and claims (lib/summaries/content.ts). */
    content: jsonb().$type<Record<string, unknown>>().notNull(),
    authorId: uuid()
      .notNull()
      .references(() => appUser.id),
    approverId: uuid().references(() => appUser.id),
    /** Optimistic locking of the draft. */
    revision: integer().notNull().default(1),
    snapshot: jsonb().$type<Record<string, unknown>>(),
    snapshotSha256: text(),
    /** Digest of the facts in the snapshot's scope when it was published: the audit tells by it whether its numbers still hold today. */
    factsDigest: text(),
    k: integer(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    submittedAt: timestamp({ withTimezone: true }),
    publishedAt: timestamp({ withTimezone: true, precision: 3 }),
  },
  (t) => [
    uniqueIndex('summary_version_number_key').on(t.summaryId, t.number),
    index('summary_version_published_idx').on(t.status, t.publishedAt),
    // At most one version being worked on at a time.
    uniqueIndex('summary_version_open_key').on(t.summaryId).where(sql`${t.status} in ('draft', 'in_review')`),
    check('summary_version_published_has_snapshot', sql`(${t.status} = 'published') = (${t.snapshot} is not null and ${t.snapshotSha256} is not null and ${t.k} >= 3 and ${t.publishedAt} is not null)`),
  ],
);

export type Summary = typeof summary.$inferSelect;
export type SummaryVersion = typeof summaryVersion.$inferSelect;
