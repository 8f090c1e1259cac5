import { createHash } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '@/db';
import { claim, claimQuestion, organisation, sourceReport } from '@/db/schema';
import { answer, type AggregateAnswer } from '../aggregates';
import { DIMENSIONS, quarterIndex, quarterLabel, type DimensionId } from '../aggregates/definitions';
import type { FactScope } from '../aggregates/query';
import { canonicalJson } from '../audit/chain';
import type { Snapshot as DiffSnapshot, SnapshotCell } from '../disclosure/difference';
import { Conflict, problem } from '../errors';
import { publishableQuotes } from '../testimonies/quotes';
import type { SummaryContentValues } from './content';
import { suppressForAudit } from './record-audit';

// The frozen document a publication is: every number and suppression flag, every quote text and
// citation. Public pages, downloads and the API render it and nothing else.

export const SNAPSHOT_SCHEMA = 1;

export interface SummarySnapshot {
  schema: typeof SNAPSHOT_SCHEMA;
  slug: string;
  language: 'en' | 'ko';
  title: string;
  body: string;
  version: number;
  publishedAt: string;
  organisation: string;
  k: number;
  scope: SummaryContentValues['scope'];
  sections: { measure: string; by: string[]; chart: string; caption: string; answer: AggregateAnswer }[];
  quotes: { id: string; text: string }[];
  sources: { id: string; title: string; publisher: string | null; address: string | null; publishedOn: string | null; reliability: string; credibility: string }[];
  claims: { id: string; sourceId: string; question: string; valueKind: string; valueLow: number | null; valueHigh: number | null; valueText: string | null; unit: string | null; periodStart: string | null; periodEnd: string | null; excerpt: string }[];
  citation: string;
}

/** The public scope of a summary: its organisation's workers with public-aggregate consent, in its period, districts and site types. */
export function factScopeOf(orgId: string, scope: SummaryContentValues['scope']): FactScope {
  return {
    audience: 'public_aggregate',
    orgId,
    fromQuarter: quarterIndex(scope.from, false),
    toQuarter: quarterIndex(scope.to, true),
    districts: scope.districts,
    siteTypes: scope.siteTypes,
  };
}

export async function buildSnapshot(
  tx: Tx,
  s: { orgId: string; slug: string; language: 'en' | 'ko' },
  content: SummaryContentValues,
  meta: { version: number; publishedAt: Date; k: number },
): Promise<SummarySnapshot> {
  const scope = factScopeOf(s.orgId, content.scope);
  const sections = [];
  for (const section of content.sections) {
    const result = await answer(tx, scope, { measure: section.measure, by: section.by, from: content.scope.from, to: content.scope.to }, section.by as DimensionId[], meta.k);
    sections.push({ measure: section.measure, by: section.by, chart: section.chart, caption: section.caption, answer: result });
  }
  // Further cells hidden until the snapshot on its own passes the whole-record audit.
  const audited = await suppressForAudit(tx, s.orgId, content.scope, sections, meta.k);

  // Quotes: only approved redactions of testimonies with public_quote consent, checked now.
  const quotes = await publishableQuotes(tx, { orgId: s.orgId, quoteIds: content.quoteIds });
  const missingQuotes = content.quoteIds.filter((id) => !quotes.some((q) => q.id === id));
  if (missingQuotes.length) {
    throw new Conflict(problem('summaryQuotesGone', { count: missingQuotes.length }), missingQuotes.map((id) => ({ path: 'quoteIds', message: id })));
  }
  const sources = content.sourceIds.length
    ? await tx
        .select()
        .from(sourceReport)
        .where(and(eq(sourceReport.orgId, s.orgId), eq(sourceReport.visibility, 'public'), inArray(sourceReport.id, content.sourceIds)))
        .orderBy(asc(sourceReport.publishedOn), asc(sourceReport.title))
    : [];
  if (sources.length !== new Set(content.sourceIds).size) {
    throw new Conflict(problem('summarySourcesPublicOnly'));
  }
  const claims = content.claimIds.length
    ? await tx
        .select({ c: claim, question: claimQuestion.title })
        .from(claim)
        .innerJoin(claimQuestion, eq(claimQuestion.id, claim.questionId))
        .innerJoin(sourceReport, eq(sourceReport.id, claim.sourceId))
        .where(and(eq(claim.orgId, s.orgId), eq(sourceReport.visibility, 'public'), inArray(claim.id, content.claimIds)))
        .orderBy(asc(claimQuestion.title), asc(claim.id))
    : [];
  if (claims.length !== new Set(content.claimIds).size) {
    throw new Conflict(problem('summaryClaimsPublicOnly'));
  }
  const [org] = await tx.select({ name: organisation.name }).from(organisation).where(eq(organisation.id, s.orgId));
  const published = meta.publishedAt.toISOString();
  return {
    schema: SNAPSHOT_SCHEMA,
    slug: s.slug,
    language: s.language,
    title: content.title,
    body: content.body,
    version: meta.version,
    publishedAt: published,
    organisation: org!.name,
    k: meta.k,
    scope: content.scope,
    sections: audited,
    quotes: content.quoteIds.map((id) => ({ id, text: quotes.find((q) => q.id === id)!.redactedText })),
    sources: sources.map((r) => ({ id: r.id, title: r.title, publisher: r.publisher, address: r.address, publishedOn: r.publishedOn, reliability: r.reliability, credibility: r.credibility })),
    claims: claims.map(({ c, question }) => ({
      id: c.id,
      sourceId: c.sourceId,
      question,
      valueKind: c.valueKind,
      valueLow: c.valueLow,
      valueHigh: c.valueHigh,
      valueText: c.valueText,
      unit: c.unit,
      periodStart: c.periodStart,
      periodEnd: c.periodEnd,
      excerpt: c.excerpt,
    })),
    citation: `${org!.name}, “${content.title}”, version ${meta.version}, published ${published.slice(0, 10)}. Testimony Ledger, /summaries/${s.slug}.`,
  };
}

export const snapshotSha256 = (snapshot: SummarySnapshot) => createHash('sha256').update(canonicalJson(snapshot)).digest('hex');

const SCOPE_NAMES: Partial<Record<string, string>> = { federal_district: 'district', site_type: 'siteType' };
/** Back from the differencing model's names to the breakdown names readers know. */
export const breakdownName = (name: string) => Object.entries(SCOPE_NAMES).find(([, n]) => n === name)?.[0] ?? name;
const all = (d: DimensionId) => [...(DIMENSIONS[d].values ?? [])];

/**
 * A snapshot as the differencing check sees it: its scope as a box (quarters spelled out, every
 * district and site type when not limited, the organisation) and every count it shows. Counts of all
 * sections describe the same workers whatever the measure, so they are compared as "workers".
 */
export function toDifferenceSnapshot(id: string, orgId: string, snapshot: Pick<SummarySnapshot, 'scope' | 'sections'>): DiffSnapshot {
  const from = quarterIndex(snapshot.scope.from, false);
  const to = quarterIndex(snapshot.scope.to, true);
  const quarters = Array.from({ length: to - from + 1 }, (_, i) => quarterLabel(from + i));
  const cells: SnapshotCell[] = [];
  const seen = new Set<string>();
  for (const section of snapshot.sections) {
    for (const c of [...section.answer.cells, ...section.answer.margins]) {
      const by = Object.fromEntries(Object.entries(c.by).map(([d, v]) => [SCOPE_NAMES[d] ?? d, v]));
      const key = JSON.stringify(Object.entries(by).sort());
      if (seen.has(key)) continue; // the same box from another section: the same count
      seen.add(key);
      cells.push({ measure: 'workers', by, count: 'count' in c ? c.count : null });
    }
  }
  return {
    id,
    scope: {
      quarters,
      districts: snapshot.scope.districts ?? all('federal_district'),
      siteTypes: snapshot.scope.siteTypes ?? all('site_type'),
      org: orgId,
    },
    cells,
  };
}
