import 'server-only';
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '@/db';
import { summary, summaryVersion, type Summary, type SummaryVersion } from '@/db/schema';
import { assertCan, type Actor } from '../access';
import { audit } from '../audit';
import { differencingCheck, type DifferenceFinding } from '../disclosure/difference';
import { minCellSize } from '../disclosure/k';
import { Conflict, NotFound, problem } from '../errors';
import { inOrg, inTransaction } from '../scope';
import { refuseUnusableChoices } from './choices';
import { NewSummary, RetractionReason, SummaryContent, type NewSummaryInput, type SummaryContentInput } from './content';
import { auditAgainstRecord } from './record-audit';
import { PublicationRefused } from './refusal';
import { breakdownName, buildSnapshot, snapshotSha256, toDifferenceSnapshot, type SummarySnapshot } from './snapshot';

// Public summaries: authoring, two-person approval, frozen snapshots, the differencing check at
// publication, retraction. Pages, API and CLI call these; `can()` holds every permission.

const Id = z.uuid();
const PUBLISH_LOCK = 7_201_546; // serialises publications: each is checked against every one before it

async function loadSummary(tx: Tx, orgId: string, rawId: string) {
  const id = Id.safeParse(rawId);
  if (!id.success) throw new NotFound('summary');
  const [row] = await tx.select().from(summary).where(and(eq(summary.id, id.data), eq(summary.orgId, orgId))).for('update');
  if (!row) throw new NotFound('summary');
  return row;
}

async function openVersion(tx: Tx, s: Summary) {
  const [v] = await tx
    .select()
    .from(summaryVersion)
    .where(and(eq(summaryVersion.summaryId, s.id), eq(summaryVersion.orgId, s.orgId), inArray(summaryVersion.status, ['draft', 'in_review'])))
    .for('update');
  return v;
}

async function linkTranslation(tx: Tx, orgId: string, s: { id: string }, slug: string | undefined, language: string) {
  if (!slug) return;
  const [other] = await tx.select().from(summary).where(and(eq(summary.slug, slug), eq(summary.orgId, orgId)));
  if (!other) throw new NotFound('summary to link as translation');
  if (other.language === language) throw new Conflict(problem('translationLanguage'));
  await tx.update(summary).set({ translationId: other.id }).where(eq(summary.id, s.id));
  await tx.update(summary).set({ translationId: s.id }).where(eq(summary.id, other.id));
}

/** A reviewer or admin starts a summary: its address, language and a first draft. */
export async function createSummary(actor: Actor, raw: NewSummaryInput) {
  const input = NewSummary.parse(raw);
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'summary.author', { orgId });
    await refuseUnusableChoices(tx, orgId, input.content);
    const [taken] = await tx.select({ id: summary.id }).from(summary).where(eq(summary.slug, input.slug));
    if (taken) throw new Conflict(problem('summarySlugTaken', { slug: input.slug }));
    const [s] = await tx.insert(summary).values({ orgId, slug: input.slug, language: input.language, createdBy: actor.userId }).returning();
    await linkTranslation(tx, orgId, s!, input.translationOf, input.language);
    const [v] = await tx.insert(summaryVersion).values({ summaryId: s!.id, orgId, number: 1, content: input.content, authorId: actor.userId }).returning();
    await audit(tx, actor, { action: 'summary.create', entity: 'summary', entityId: s!.id, details: { slug: input.slug, version: 1 } });
    return { id: s!.id, slug: s!.slug, versionId: v!.id, number: 1, revision: v!.revision };
  });
}

/** The author saves their draft (optimistic lock on `revision`). */
export async function updateDraft(actor: Actor, summaryId: string, raw: { content: SummaryContentInput; revision: number }) {
  const content = SummaryContent.parse(raw.content);
  const revision = z.number().int().positive().parse(raw.revision);
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'summary.author', { orgId }); // the role first: others learn nothing of the summary
    const s = await loadSummary(tx, orgId, summaryId);
    const v = await openVersion(tx, s);
    if (!v) throw new Conflict(problem('summaryNoDraft'));
    assertCan(actor, 'summary.edit', { orgId, authorId: v.authorId });
    if (v.status !== 'draft') throw new Conflict(problem('summaryInReview'));
    if (v.revision !== revision) throw new Conflict(problem('summaryDraftChanged', { yours: revision, now: v.revision }));
    await refuseUnusableChoices(tx, orgId, content);
    await tx.update(summaryVersion).set({ content, revision: v.revision + 1, updatedAt: new Date() }).where(eq(summaryVersion.id, v.id));
    await audit(tx, actor, { action: 'summary.edit', entity: 'summary', entityId: s.id, details: { version: v.number, revision: v.revision + 1 } });
    return { revision: v.revision + 1 };
  });
}

/** The author sends the draft to review (another reviewer or admin approves it). */
export async function submitSummary(actor: Actor, summaryId: string) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'summary.author', { orgId }); // the role first: others learn nothing of the summary
    const s = await loadSummary(tx, orgId, summaryId);
    const v = await openVersion(tx, s);
    if (!v || v.status !== 'draft') throw new Conflict(problem('summaryOnlyDraftToReview'));
    assertCan(actor, 'summary.edit', { orgId, authorId: v.authorId });
    await tx.update(summaryVersion).set({ status: 'in_review', submittedAt: new Date(), updatedAt: new Date() }).where(eq(summaryVersion.id, v.id));
    await audit(tx, actor, { action: 'summary.submit', entity: 'summary', entityId: s.id, details: { version: v.number } });
    return { status: 'in_review' as const };
  });
}

/** Back to the author: by the author, or by a reviewer who would not approve it as it is. */
export async function returnToDraft(actor: Actor, summaryId: string) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'summary.author', { orgId }); // the role first: others learn nothing of the summary
    const s = await loadSummary(tx, orgId, summaryId);
    const v = await openVersion(tx, s);
    if (!v || v.status !== 'in_review') throw new Conflict(problem('summaryOnlyReviewToDraft'));
    assertCan(actor, 'summary.author', { orgId });
    await tx.update(summaryVersion).set({ status: 'draft', submittedAt: null, updatedAt: new Date() }).where(eq(summaryVersion.id, v.id));
    await audit(tx, actor, { action: 'summary.return', entity: 'summary', entityId: s.id, details: { version: v.number } });
    return { status: 'draft' as const };
  });
}

/** Every published snapshot of the instance, as the differencing check sees them. */
async function publishedForCheck(tx: Tx) {
  const rows = await tx
    .select({ id: summaryVersion.id, orgId: summaryVersion.orgId, number: summaryVersion.number, snapshot: summaryVersion.snapshot, slug: summary.slug })
    .from(summaryVersion)
    .innerJoin(summary, eq(summary.id, summaryVersion.summaryId))
    .where(eq(summaryVersion.status, 'published'));
  return rows.map((r) => ({ label: `${r.slug} v${r.number}`, diff: toDifferenceSnapshot(r.id, r.orgId, r.snapshot as unknown as SummarySnapshot) }));
}

const describeCell = (by: Record<string, string>) => (Object.keys(by).length ? Object.entries(by).map(([d, v]) => `${breakdownName(d)}=${v}`).join(', ') : 'total');

export { PublicationRefused } from './refusal';

export class DifferencingRefused extends Conflict {
  constructor(readonly findings: { cell: string; published: string; difference: number }[]) {
    super(
      problem('differencing', {
        cells: `${findings
          .slice(0, 5)
          .map((f) => `${f.cell} differs from ${f.published} by ${f.difference}`)
          .join('; ')}${findings.length > 5 ? ` (and ${findings.length - 5} more)` : ''}`,
      }),
      findings.map((f) => ({ path: f.cell, message: `differs from ${f.published} by ${f.difference}` })),
    );
  }
}

/**
 * A second reviewer or admin approves: the snapshot is computed at public k, audited against the
 * whole published record, and frozen. Refused (409, cells and publications named) when any
 * combination of published numbers would narrow a small count below the protection interval.
 */
export async function approveSummary(actor: Actor, summaryId: string) {
  return inOrg(actor, async ({ tx, orgId }) => {
    // The role first: others learn nothing of the summary and never wait on the publication lock.
    assertCan(actor, 'summary.approve', { orgId });
    await tx.execute(sql`select pg_advisory_xact_lock(${PUBLISH_LOCK})`);
    const s = await loadSummary(tx, orgId, summaryId);
    if (s.retractedAt) throw new Conflict(problem('summaryRetractedNoPublish'));
    const v = await openVersion(tx, s);
    if (!v || v.status !== 'in_review') throw new Conflict(problem('summaryOnlyReviewApproved'));
    assertCan(actor, 'summary.approve', { orgId, authorId: v.authorId });
    const content = SummaryContent.parse(v.content);
    const k = minCellSize('public');
    const publishedAt = new Date();
    const snapshot = await buildSnapshot(tx, s, content, { version: v.number, publishedAt, k });
    // Every number of every published version, with this one: no small count may be pinned by any combination.
    const record = await auditAgainstRecord(tx, orgId, v.id, snapshot, k);
    if (record.findings.length) throw new PublicationRefused(record.findings, k);
    // Kept beside the audit for what it alone sees: nested scopes published on data that changed since.
    const published = await publishedForCheck(tx);
    const findings: DifferenceFinding[] = differencingCheck(toDifferenceSnapshot(v.id, orgId, snapshot), published.map((p) => p.diff), k);
    if (findings.length) {
      const label = new Map(published.map((p) => [p.diff.id, p.label]));
      throw new DifferencingRefused(
        findings.map((f) => ({
          cell: `${describeCell(f.candidate.by)}${f.candidate.summedOver ? ` (sum over ${f.candidate.summedOver.map(breakdownName).join(', ')})` : ''}`,
          published: `${label.get(f.published.snapshot)} ${describeCell(f.published.by)}${f.published.summedOver ? ` (sum over ${f.published.summedOver.map(breakdownName).join(', ')})` : ''}`,
          difference: f.difference,
        })),
      );
    }
    const sha = snapshotSha256(snapshot);
    await tx
      .update(summaryVersion)
      .set({ status: 'published', snapshot: snapshot as unknown as Record<string, unknown>, snapshotSha256: sha, k, factsDigest: record.digest, approverId: actor.userId, publishedAt, updatedAt: publishedAt })
      .where(eq(summaryVersion.id, v.id));
    await tx.update(summary).set({ flaggedAt: null }).where(eq(summary.id, s.id));
    await audit(tx, actor, { action: 'summary.publish', entity: 'summary', entityId: s.id, details: { version: v.number, sha256: sha, k, audit: { atoms: record.stats.atoms, rows: record.stats.rows, solved: record.stats.solved, snapshots: record.stats.snapshots } } });
    return { version: v.number, sha256: sha, k };
  });
}

/** Editing a published summary starts a new version from the latest published content. */
export async function startNewVersion(actor: Actor, summaryId: string) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'summary.author', { orgId });
    const s = await loadSummary(tx, orgId, summaryId);
    if (s.retractedAt) throw new Conflict(problem('summaryRetracted'));
    if (await openVersion(tx, s)) throw new Conflict(problem('summaryVersionOpen'));
    const [last] = await tx.select().from(summaryVersion).where(eq(summaryVersion.summaryId, s.id)).orderBy(desc(summaryVersion.number)).limit(1);
    const number = (last?.number ?? 0) + 1;
    const [v] = await tx.insert(summaryVersion).values({ summaryId: s.id, orgId, number, content: last!.content, authorId: actor.userId }).returning();
    await audit(tx, actor, { action: 'summary.new_version', entity: 'summary', entityId: s.id, details: { version: number } });
    return { versionId: v!.id, number, revision: v!.revision };
  });
}

/** Retraction keeps the page with a notice and the reason; numbers and downloads are withdrawn. */
export async function retractSummary(actor: Actor, summaryId: string, rawReason: string) {
  const reason = RetractionReason.parse(rawReason);
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'summary.author', { orgId });
    const s = await loadSummary(tx, orgId, summaryId);
    if (s.retractedAt) throw new Conflict(problem('summaryAlreadyRetracted'));
    const now = new Date();
    await tx.update(summary).set({ retractedAt: now, retractedBy: actor.userId, retractionReason: reason }).where(eq(summary.id, s.id));
    await tx.update(summaryVersion).set({ status: 'discarded', updatedAt: now }).where(and(eq(summaryVersion.summaryId, s.id), inArray(summaryVersion.status, ['draft', 'in_review'])));
    await audit(tx, actor, { action: 'summary.retract', entity: 'summary', entityId: s.id });
    return { retractedAt: now };
  });
}

/** The organisation's summaries for its reviewers: status, open version, flag. */
export async function listOrgSummaries(actor: Actor) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'summary.read', { orgId });
    const rows = await tx.select().from(summary).where(eq(summary.orgId, orgId)).orderBy(desc(summary.createdAt));
    const versions = rows.length
      ? await tx
          .select({ summaryId: summaryVersion.summaryId, number: summaryVersion.number, status: summaryVersion.status, content: summaryVersion.content, authorId: summaryVersion.authorId, publishedAt: summaryVersion.publishedAt })
          .from(summaryVersion)
          .where(eq(summaryVersion.orgId, orgId))
          .orderBy(asc(summaryVersion.number))
      : [];
    return rows.map((s) => {
      const own = versions.filter((v) => v.summaryId === s.id);
      const latest = own[own.length - 1];
      return {
        ...s,
        title: String((latest?.content as { title?: string } | undefined)?.title ?? s.slug),
        status: s.retractedAt ? ('retracted' as const) : (latest?.status ?? 'draft'),
        published: own.filter((v) => v.status === 'published').map((v) => ({ number: v.number, publishedAt: v.publishedAt })),
        open: own.find((v) => v.status === 'draft' || v.status === 'in_review') ?? null,
      };
    });
  });
}

/** One summary for its organisation's reviewers, with its versions. */
export async function getOrgSummary(actor: Actor, summaryId: string) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'summary.read', { orgId });
    const id = Id.safeParse(summaryId);
    if (!id.success) throw new NotFound('summary');
    const [s] = await tx.select().from(summary).where(and(eq(summary.id, id.data), eq(summary.orgId, orgId)));
    if (!s) throw new NotFound('summary');
    const versions = await tx.select().from(summaryVersion).where(and(eq(summaryVersion.summaryId, s.id), eq(summaryVersion.orgId, orgId))).orderBy(asc(summaryVersion.number));
    return { summary: s, versions };
  });
}

/** What the public would see if the open version were published now (public k, public consent); nothing is stored. */
export async function previewSummary(actor: Actor, summaryId: string) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'summary.read', { orgId });
    const s = await loadSummary(tx, orgId, summaryId);
    const v = (await openVersion(tx, s)) ?? (await latestPublished(tx, s.id));
    if (!v) throw new NotFound('version');
    const content = SummaryContent.parse(v.content);
    return buildSnapshot(tx, s, content, { version: v.number, publishedAt: new Date(), k: minCellSize('public') });
  });
}

async function latestPublished(tx: Tx, summaryId: string): Promise<SummaryVersion | undefined> {
  const [v] = await tx
    .select()
    .from(summaryVersion)
    .where(and(eq(summaryVersion.summaryId, summaryId), eq(summaryVersion.status, 'published')))
    .orderBy(desc(summaryVersion.number))
    .limit(1);
  return v;
}

// --- Public reading: snapshots only, never live data. -------------------------------------------

export interface PublicSummary {
  slug: string;
  language: 'en' | 'ko';
  translationSlug: string | null;
  retracted: { at: string; reason: string } | null;
  /** The snapshot shown: the latest published version, or the requested one; null when retracted. */
  snapshot: SummarySnapshot | null;
  sha256: string | null;
  versions: { number: number; publishedAt: string; sha256: string }[];
  title: string;
}

/** Published (or retracted) summaries, newest publication first. */
export async function listPublishedSummaries() {
  assertCan(null, 'summary.readPublished'); // the public's right, read from the table like every other
  return inTransaction(async (tx) => {
    const rows = await tx
      .select({ slug: summary.slug, language: summary.language, retractedAt: summary.retractedAt, number: summaryVersion.number, publishedAt: summaryVersion.publishedAt, snapshot: summaryVersion.snapshot })
      .from(summaryVersion)
      .innerJoin(summary, eq(summary.id, summaryVersion.summaryId))
      .where(and(eq(summaryVersion.status, 'published'), isNotNull(summaryVersion.publishedAt)))
      .orderBy(desc(summaryVersion.publishedAt));
    const seen = new Set<string>();
    const out = [];
    for (const r of rows) {
      if (seen.has(r.slug)) continue;
      seen.add(r.slug);
      const snap = r.snapshot as unknown as SummarySnapshot;
      out.push({ slug: r.slug, language: r.language, title: snap.title, organisation: snap.organisation, version: r.number, publishedAt: r.publishedAt!.toISOString(), retracted: !!r.retractedAt, scope: snap.scope });
    }
    return out;
  });
}

/** A public summary by slug: the latest published version, or `version` if given. NotFound when never published. */
export async function getPublishedSummary(rawSlug: string, version?: number): Promise<PublicSummary> {
  assertCan(null, 'summary.readPublished');
  const slug = z.string().max(100).safeParse(rawSlug);
  if (!slug.success) throw new NotFound('summary');
  return inTransaction(async (tx) => {
    const [s] = await tx.select().from(summary).where(eq(summary.slug, slug.data));
    if (!s) throw new NotFound('summary');
    const versions = await tx
      .select()
      .from(summaryVersion)
      .where(and(eq(summaryVersion.summaryId, s.id), eq(summaryVersion.status, 'published')))
      .orderBy(desc(summaryVersion.number));
    if (versions.length === 0) throw new NotFound('summary');
    const chosen = version === undefined ? versions[0]! : versions.find((v) => v.number === version);
    if (!chosen) throw new NotFound('summary version');
    // Link a translation only once it is readable: published and not retracted.
    const [translation] = s.translationId
      ? await tx
          .select({ slug: summary.slug })
          .from(summary)
          .innerJoin(summaryVersion, and(eq(summaryVersion.summaryId, summary.id), eq(summaryVersion.status, 'published')))
          .where(and(eq(summary.id, s.translationId), isNull(summary.retractedAt)))
          .limit(1)
      : [];
    const snap = chosen.snapshot as unknown as SummarySnapshot;
    return {
      slug: s.slug,
      language: s.language,
      translationSlug: translation?.slug ?? null,
      retracted: s.retractedAt ? { at: s.retractedAt.toISOString(), reason: s.retractionReason ?? '' } : null,
      snapshot: s.retractedAt ? null : snap,
      sha256: s.retractedAt ? null : chosen.snapshotSha256,
      versions: versions.map((v) => ({ number: v.number, publishedAt: v.publishedAt!.toISOString(), sha256: v.snapshotSha256! })),
      title: snap.title,
    };
  });
}
