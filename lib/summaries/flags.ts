import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '@/db';
import { summary, summaryVersion, type SubjectFact } from '@/db/schema';
import { quarterIndex } from '../aggregates/definitions';
import { SummaryContent } from './content';

// A published snapshot stays frozen when a counted worker withdraws consent; its organisation's
// reviewers are told to publish a new version (which must pass the differencing check).

/** Whether a worker's public facts fall inside a summary's scope. */
export function inScope(fact: Pick<SubjectFact, 'quarter' | 'federalDistrict' | 'siteType'>, rawContent: unknown): boolean {
  const parsed = SummaryContent.safeParse(rawContent);
  if (!parsed.success) return true; // cannot tell: flag rather than miss
  const scope = parsed.data.scope;
  if (fact.quarter == null || fact.quarter < quarterIndex(scope.from, false) || fact.quarter > quarterIndex(scope.to, true)) return false;
  if (scope.districts && !scope.districts.includes(fact.federalDistrict ?? 'unknown')) return false;
  if (scope.siteTypes && !scope.siteTypes.includes(fact.siteType ?? 'unknown')) return false;
  return true;
}

/** Flags the organisation's published summaries whose scope counted this worker's former public facts. */
export async function flagSummariesCounting(tx: Tx, orgId: string, former: Pick<SubjectFact, 'quarter' | 'federalDistrict' | 'siteType'>): Promise<number> {
  const rows = await tx
    .select({ id: summary.id, content: summaryVersion.content })
    .from(summaryVersion)
    .innerJoin(summary, eq(summary.id, summaryVersion.summaryId))
    .where(and(eq(summaryVersion.orgId, orgId), eq(summaryVersion.status, 'published'), isNull(summary.retractedAt)));
  const ids = new Set(rows.filter((r) => inScope(former, r.content)).map((r) => r.id));
  for (const id of ids) await tx.update(summary).set({ flaggedAt: new Date() }).where(and(eq(summary.id, id), isNull(summary.flaggedAt)));
  return ids.size;
}
