import { and, eq, isNotNull, isNull, notExists, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import { consent, testimony } from '@/db/schema';

/**
 * Who may learn from a testimony. The one place that decides whether a testimony counts for an
 * audience: aggregates, exports, quotes and summaries all call it.
 */
export const AUDIENCES = ['internal', 'research', 'public_aggregate', 'public_quote'] as const;
export type Audience = (typeof AUDIENCES)[number];

const scopeColumn = {
  internal: consent.internal,
  research: consent.research,
  public_aggregate: consent.publicAggregate,
  public_quote: consent.publicQuote,
} as const;

/** The SQL condition on `testimony` joined with `testimony_consent`: approved, consented for the audience, not withdrawn. */
export function countsFor(audience: Audience): SQL {
  return and(eq(testimony.status, 'approved'), eq(scopeColumn[audience], true), isNull(consent.withdrawnAt))!;
}

type ConsentRow = { internal: boolean; research: boolean; publicAggregate: boolean; publicQuote: boolean; withdrawnAt: Date | null };

/** The scopes a consent row grants, in the order of AUDIENCES. */
export function scopesOf(c: ConsentRow): Audience[] {
  const granted = { internal: c.internal, research: c.research, public_aggregate: c.publicAggregate, public_quote: c.publicQuote };
  return AUDIENCES.filter((a) => granted[a]);
}

/** Whether a loaded consent still covers an audience: granted and not withdrawn (status aside). */
export function consentCovers(c: ConsentRow | null | undefined, audience: Audience): boolean {
  return !!c && !c.withdrawnAt && scopesOf(c).includes(audience);
}

/** The same rule as countsFor over loaded rows; audience.test.ts keeps the two in step. */
export function rowCountsFor(t: { status: string }, c: ConsentRow | null | undefined, audience: Audience): boolean {
  return t.status === 'approved' && consentCovers(c, audience);
}

/**
 * For the organisation's own working lists and exports (drafts included): a testimony whose consent
 * was withdrawn leaves every export at once. Condition on `testimony`.
 */
export function consentNotWithdrawn(tx: Db | Tx): SQL {
  return notExists(
    tx
      .select({ id: consent.testimonyId })
      .from(consent)
      .where(and(eq(consent.testimonyId, testimony.id), isNotNull(consent.withdrawnAt))),
  );
}
