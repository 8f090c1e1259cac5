import { createHash } from 'node:crypto';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import { execRows } from '@/db/client';
import { summary, summaryVersion } from '@/db/schema';
import type { AggregateAnswer, OutCell } from '../aggregates';
import { DIMENSIONS, MEASURES, quarterIndex, quarterLabel, type DimensionId, type ShareTest } from '../aggregates/definitions';
import { shareSql } from '../aggregates/query';
import { auditRecord, type AuditCell, type AuditFinding, type AuditSnapshot, type AuditStats, type Box, type TruthRow } from '../disclosure/audit';
import { protectionInterval } from '../disclosure/k';
import { Conflict, problem } from '../errors';
import type { SummarySnapshot } from './snapshot';

// The published record as the whole-record audit (lib/disclosure/audit.ts) sees it: each snapshot's
// cells as boxes, the organisation's true counts, and which snapshots still describe today's data.

type Sections = Pick<SummarySnapshot, 'scope' | 'sections'>;
const SCOPE_DIMENSIONS = ['federal_district', 'site_type'] as const;

/** A share's whole: every worker of the cell, or those whose answer is known. */
const wholeOf = (test: ShareTest): 'all' | 'known' => ('flag' in test || 'outcome' in test ? 'all' : 'known');

function quartersOf(scope: Sections['scope']): string[] {
  const from = quarterIndex(scope.from, false);
  const to = quarterIndex(scope.to, true);
  return Array.from({ length: to - from + 1 }, (_, i) => quarterLabel(from + i));
}

const allValues = (d: DimensionId) => [...(DIMENSIONS[d].values ?? [])];

/** The box of a cell: the snapshot's scope narrowed by the cell's breakdown values. */
export function boxOf(orgId: string, scope: Sections['scope'], by: Readonly<Record<string, string>>): Box {
  const box: Record<string, string[]> = {
    org: [orgId],
    quarter: quartersOf(scope),
    federal_district: scope.districts ? [...scope.districts] : allValues('federal_district'),
    site_type: scope.siteTypes ? [...scope.siteTypes] : allValues('site_type'),
  };
  for (const [d, v] of Object.entries(by)) {
    if (d === 'year') box.quarter = box.quarter!.filter((q) => q.startsWith(`${v}Q`));
    else if ((SCOPE_DIMENSIONS as readonly string[]).includes(d)) box[d] = box[d]!.filter((x) => x === v);
    else box[d] = [v];
  }
  return box;
}

/** Every number a snapshot shows, as the audit's cells (medians left out: they bound values, not counts). */
export function toAuditSnapshot(id: string, orgId: string, snapshot: Sections): AuditSnapshot {
  const cells: AuditCell[] = [];
  for (const section of snapshot.sections) {
    const measure = MEASURES.get(section.measure);
    for (const c of [...section.answer.cells, ...section.answer.margins]) {
      const count = 'count' in c ? c.count : null;
      const share = measure?.kind === 'share' && 'value' in c && c.value != null ? { attribute: measure.id, whole: wholeOf(measure.part), percent: c.value } : null;
      cells.push({ by: c.by, box: boxOf(orgId, snapshot.scope, c.by), count, share });
    }
  }
  return { id, cells };
}

const FACT_KEYS = {
  quarter: sql.raw('quarter'),
  federal_district: sql.raw(`coalesce(federal_district::text, 'unknown')`),
  site_type: sql.raw(`coalesce(site_type::text, 'unknown')`),
  visa_type: sql.raw(`coalesce(visa_type::text, 'unknown')`),
  outcome: sql.raw(`coalesce(outcome::text, 'unknown')`),
} as const;

/** The organisation's public-aggregate workers per combination of the public dimensions, with the attributes asked. */
export async function truthRows(tx: Tx, orgId: string, attributes: readonly string[]): Promise<TruthRow[]> {
  const figures: SQL[] = [sql`count(*)::int as n`];
  attributes.forEach((id, i) => {
    const m = MEASURES.get(id);
    if (m?.kind !== 'share') return;
    const { part, whole } = shareSql(m.part);
    figures.push(sql`(count(*) filter (where ${part}))::int as ${sql.raw(`p${i}`)}`, sql`(count(*) filter (where ${whole}))::int as ${sql.raw(`w${i}`)}`);
  });
  const keys = Object.entries(FACT_KEYS).map(([name, expr]) => sql`${expr} as ${sql.raw(name)}`);
  const rows = await execRows<Record<string, unknown>>(
    tx,
    sql`select ${sql.join([...keys, ...figures], sql`, `)} from subject_fact where audience = 'public_aggregate' and org_id = ${orgId} and quarter is not null group by 1, 2, 3, 4, 5`,
  );
  return rows.map((r) => ({
    values: { org: orgId, quarter: quarterLabel(Number(r.quarter)), federal_district: String(r.federal_district), site_type: String(r.site_type), visa_type: String(r.visa_type), outcome: String(r.outcome) },
    workers: Number(r.n),
    attributes: Object.fromEntries(attributes.flatMap((id, i) => (r[`p${i}`] === undefined ? [] : [[id, { part: Number(r[`p${i}`]), whole: Number(r[`w${i}`]) }]]))),
  }));
}

const attributesOf = (snapshots: readonly AuditSnapshot[]) => [...new Set(snapshots.flatMap((s) => s.cells.flatMap((c) => (c.share ? [c.share.attribute] : []))))].sort();

/**
 * What identifies the data a scope's numbers were computed from: a digest of the organisation's
 * public-aggregate facts in each quarter × district × site type (values that counts and shares read).
 */
export async function factGroups(tx: Tx, orgId: string): Promise<Map<string, string>> {
  // Ordered by the values themselves: facts are rewritten on every approval, so their order on disk is not stable.
  const rows = await execRows<{ g: string; d: string }>(
    tx,
    sql`select g, md5(string_agg(v, ';' order by v)) as d from (
          select quarter || '|' || coalesce(federal_district::text, 'unknown') || '|' || coalesce(site_type::text, 'unknown') as g,
                 concat_ws(',', coalesce(visa_type::text, '-'), coalesce(outcome::text, '-'), any_injury, care_delayed_or_denied, kept_working_injured, ilo_yes, ilo_known, coalesce(housing::text, '-'), coalesce(minders::text, '-'), coalesce(phones_forbidden::text, '-')) as v
          from subject_fact where audience = 'public_aggregate' and org_id = ${orgId} and quarter is not null) facts
        group by g`,
  );
  return new Map(rows.map((r) => [r.g, r.d]));
}

/** The digest of a scope's data: equal digests, equal numbers. */
export function scopeDigest(groups: ReadonlyMap<string, string>, scope: Sections['scope']): string {
  const quarters = new Set(quartersOf(scope).map((q) => String(Number(q.slice(0, 4)) * 4 + Number(q.slice(5)) - 1)));
  const districts = scope.districts ? new Set(scope.districts) : null;
  const sites = scope.siteTypes ? new Set(scope.siteTypes) : null;
  const inside = [...groups]
    .filter(([g]) => {
      const [q, d, s] = g.split('|');
      return quarters.has(q!) && (!districts || districts.has(d!)) && (!sites || sites.has(s!));
    })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(inside)).digest('hex');
}

export interface RecordFinding extends AuditFinding {
  /** "‘Title’ v1" of each publication it combines with. */
  withLabels: string[];
}

export interface RecordAudit {
  findings: RecordFinding[];
  digest: string;
  stats: AuditStats & { snapshots: number; current: number; past: number };
}

/**
 * Audits a candidate snapshot against every published version of its organisation (retracted
 * summaries included). Runs under the publication lock, inside the publishing transaction.
 */
export async function auditAgainstRecord(tx: Tx, orgId: string, candidateId: string, snapshot: Sections, k: number): Promise<RecordAudit> {
  const groups = await factGroups(tx, orgId);
  const digest = scopeDigest(groups, snapshot.scope);
  const rows = await tx
    .select({ id: summaryVersion.id, number: summaryVersion.number, snapshot: summaryVersion.snapshot, factsDigest: summaryVersion.factsDigest })
    .from(summaryVersion)
    .innerJoin(summary, eq(summary.id, summaryVersion.summaryId))
    .where(and(eq(summaryVersion.orgId, orgId), eq(summaryVersion.status, 'published')));
  const labels = new Map<string, string>();
  const current: AuditSnapshot[] = [];
  const past: AuditSnapshot[] = [];
  for (const r of rows) {
    const snap = r.snapshot as unknown as SummarySnapshot;
    labels.set(r.id, `‘${snap.title}’ v${r.number}`);
    const audited = toAuditSnapshot(r.id, orgId, snap);
    // A snapshot still describes today's workers when the data of its scope is unchanged since.
    if (r.factsDigest && r.factsDigest === scopeDigest(groups, snap.scope)) current.push(audited);
    else past.push(audited);
  }
  const candidate = toAuditSnapshot(candidateId, orgId, snapshot);
  const truth = await truthRows(tx, orgId, attributesOf([candidate, ...current]));
  const result = await auditRecord({ candidate, current, past, truth, k, protection: protectionInterval(k) });
  if (result.inconsistent) throw new Conflict(problem('auditInconsistent'));
  return {
    findings: result.findings.map((f) => ({ ...f, withLabels: f.with.map((id) => labels.get(id) ?? id) })),
    digest,
    stats: { ...result.stats, snapshots: rows.length, current: current.length, past: past.length },
  };
}

/**
 * Complementary suppression across a snapshot's own sections: hides further cells (or shares)
 * until the snapshot alone leaves every sensitive quantity at least the protection interval wide.
 * So a lone table is never refused; only combinations with earlier publications can be.
 */
export async function suppressForAudit<S extends Sections['sections'][number]>(tx: Tx, orgId: string, scope: Sections['scope'], sections: S[], k: number): Promise<S[]> {
  let current = sections;
  let truth: TruthRow[] | undefined;
  const limit = sections.reduce((n, s) => n + s.answer.cells.length + s.answer.margins.length, 0) * 2 + 1;
  for (let round = 0; round < limit; round++) {
    const candidate = toAuditSnapshot('candidate', orgId, { scope, sections: current });
    truth ??= await truthRows(tx, orgId, attributesOf([candidate]));
    const { findings, inconsistent } = await auditRecord({ candidate, current: [], truth, k, protection: protectionInterval(k) });
    if (inconsistent) throw new Conflict(problem('auditInconsistent'));
    if (!findings.length) return current;
    const hide = choose(candidate, findings[0]!);
    current = current.map((s) => ({ ...s, answer: hideIn(s.answer, hide) }));
  }
  throw new Error('the audit of a lone snapshot did not pass with every cell hidden');
}

interface Hide {
  by: Readonly<Record<string, string>>;
  what: 'count' | 'share';
  attribute?: string;
}

const sameBy = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((d) => a[d] === b[d]);
};

// An atom's box lists no value for a dimension where it holds only values no box names: no cell excludes it there.
const overlaps = (a: Box, b: Box) => Object.keys(a).every((d) => !b[d] || !b[d]!.length || a[d]!.some((v) => b[d]!.includes(v)));

/** The next number to hide for a finding: the smallest visible one among those whose box meets the quantity's (cells before margins). */
function choose(candidate: AuditSnapshot, finding: AuditFinding): Hide {
  const attribute = finding.attribute?.replace(/^not /, '');
  const visible = candidate.cells.filter((c) => c.count !== null && c.count > 0 && overlaps(c.box, finding.box));
  const rank = <T extends { size: number; depth: number }>(list: T[]) => list.sort((a, b) => a.size - b.size || b.depth - a.depth);
  let options: (Hide & { size: number; depth: number })[] =
    finding.kind === 'attribute' ? visible.filter((c) => c.share?.attribute === attribute).map((c) => ({ by: c.by, what: 'share' as const, attribute, size: c.count!, depth: Object.keys(c.by).length })) : [];
  if (!options.length) options = visible.map((c) => ({ by: c.by, what: 'count' as const, size: c.count!, depth: Object.keys(c.by).length }));
  rank(options);
  const first: Hide | undefined = options[0] ?? candidate.cells.filter((c) => c.count !== null && c.count > 0).map((c) => ({ by: c.by, what: 'count' as const }))[0];
  if (!first) throw new Error('the audit found a narrow quantity in a snapshot that shows nothing');
  return { by: first.by, what: first.what, attribute: first.attribute };
}

function hideIn(answer: AggregateAnswer, hide: Hide): AggregateAnswer {
  const apply = (c: OutCell): OutCell => {
    if (!sameBy(c.by, hide.by) || !('count' in c)) return c;
    if (hide.what === 'count') return { by: c.by, suppressed: true };
    return answer.measure === hide.attribute ? { ...c, value: null } : c;
  };
  return { ...answer, cells: answer.cells.map(apply), margins: answer.margins.map(apply) };
}
