// What the attack tests share: real testimonies approved through the workflow, reviewers calling the
// publications API with Bearer tokens, and the attacker reading the public API with no token at all.
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import * as approve from '@/app/api/v1/publications/[id]/approve/route';
import * as giveBack from '@/app/api/v1/publications/[id]/return/route';
import * as one from '@/app/api/v1/publications/[id]/route';
import * as submit from '@/app/api/v1/publications/[id]/submit/route';
import * as versions from '@/app/api/v1/publications/[id]/versions/route';
import * as list from '@/app/api/v1/publications/route';
import * as publicOne from '@/app/api/v1/summaries/[slug]/route';
import * as publicList from '@/app/api/v1/summaries/route';
import { db } from '@/db';
import { summaryVersion } from '@/db/schema';
import type { Actor } from '@/lib/access';
import { PublicationCreated, PublicSummaryOut, SummaryList } from '@/lib/api/schemas';
import { issueToken } from '@/lib/auth/tokens';
import { inTransaction } from '@/lib/scope';
import type { SummaryContentInput } from '@/lib/summaries/content';
import { approveTestimony, createTestimony, submitTestimony } from '@/lib/testimonies';
import type { RegionCode } from '@/lib/testimonies/domain/regions';
import { uniq, userRow } from '../fixtures';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
export type Answer = { status: number; body: Record<string, unknown> & { error?: { code: string; message: string; issues?: { path: string; message: string }[] } } };

export async function tokenFor(userId: string) {
  const owner = await userRow(userId);
  return (await inTransaction((tx) => issueToken(tx, null, owner, 'attack test', 1))).token;
}

async function call(handler: unknown, url: string, token: string | null, method: string, params: Record<string, string>, body?: unknown): Promise<Answer> {
  const req = new Request(`http://localhost${url}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await (handler as Handler)(req, { params: Promise.resolve(params) });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

// --- The organisation's side: testimonies and the publications API ---------------------------------

export interface Worker {
  region: RegionCode;
  siteType: 'construction' | 'factory' | 'logging';
  start?: string;
  injured?: boolean;
}

/** One worker's testimony, public-aggregate consent, recorded by a caseworker and approved by a reviewer. */
export async function addWorker(caseworker: Actor, reviewer: Actor, w: Worker) {
  const { id } = await createTestimony(caseworker, {
    interviewDate: '2024-05-01',
    deployment: { start: w.start ?? '2023-04', region: w.region, siteType: w.siteType, visaType: 'work', outcome: 'returned' },
    injuries: w.injured ? [{ kind: 'fall from scaffolding', severity: 'serious', care: 'delayed', keptWorking: 'yes' }] : [],
    consent: { scopes: ['internal', 'public_aggregate'], method: 'oral' },
  });
  await submitTestimony(caseworker, id);
  await approveTestimony(reviewer, id);
  return id;
}

export async function addWorkers(caseworker: Actor, reviewer: Actor, n: number, w: Worker) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await addWorker(caseworker, reviewer, w));
  return ids;
}

export const content = (title: string, scope: Partial<SummaryContentInput['scope']>, section: SummaryContentInput['sections'][number]): SummaryContentInput => ({
  title,
  body: 'Workers interviewed in 2024.',
  scope: { from: '2023', to: '2023', ...scope },
  sections: [section],
});

/** A draft written by `author` and submitted for review; answers its id and slug. */
export async function draftAndSubmit(author: string, c: SummaryContentInput) {
  const created = await call(list.POST, '/api/v1/publications', author, 'POST', {}, { slug: `attack-${uniq()}`, language: 'en', content: c });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const { id, slug } = PublicationCreated.parse(created.body);
  expect((await call(submit.POST, `/api/v1/publications/${id}/submit`, author, 'POST', { id })).status).toBe(200);
  return { id, slug };
}

export const approveOver = (approver: string, id: string) => call(approve.POST, `/api/v1/publications/${id}/approve`, approver, 'POST', { id });
export const returnOver = (reviewer: string, id: string) => call(giveBack.POST, `/api/v1/publications/${id}/return`, reviewer, 'POST', { id });
export const readOver = (reviewer: string, id: string) => call(one.GET, `/api/v1/publications/${id}`, reviewer, 'GET', { id });

/** The author saves new content into the open draft (with its revision) and submits it again. */
export async function reviseAndSubmit(author: string, id: string, c: SummaryContentInput) {
  const got = await readOver(author, id);
  const open = (got.body as { open: { status: string; revision: number } }).open;
  expect(open.status).toBe('draft');
  const saved = await call(one.PATCH, `/api/v1/publications/${id}`, author, 'PATCH', { id }, { content: c, revision: open.revision });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  expect((await call(submit.POST, `/api/v1/publications/${id}/submit`, author, 'POST', { id })).status).toBe(200);
}

/** A new version of a published summary, started from its published content and submitted unchanged. */
export async function newVersion(author: string, id: string) {
  const started = await call(versions.POST, `/api/v1/publications/${id}/versions`, author, 'POST', { id });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  expect((await call(submit.POST, `/api/v1/publications/${id}/submit`, author, 'POST', { id })).status).toBe(200);
  return (started.body as { version: number }).version;
}

/** Versions as stored: what a refused approval must leave untouched. */
export const storedVersions = async (summaryId: string) =>
  (await db())
    .select({ number: summaryVersion.number, status: summaryVersion.status, revision: summaryVersion.revision, sha: summaryVersion.snapshotSha256, publishedAt: summaryVersion.publishedAt })
    .from(summaryVersion)
    .where(eq(summaryVersion.summaryId, summaryId))
    .orderBy(summaryVersion.number);

/** The findings of a refusal, one sentence each. */
export const findingsOf = (a: Answer) => (a.body.error?.issues ?? []).map((i) => i.message);

// --- The attacker's side: the public API, no token -------------------------------------------------

export async function publicSummaries() {
  const res = await call(publicList.GET, '/api/v1/summaries', null, 'GET', {});
  expect(res.status).toBe(200);
  return SummaryList.parse(res.body).summaries;
}

export async function publicSummary(slug: string, version?: number) {
  const res = await call(publicOne.GET, `/api/v1/summaries/${slug}${version ? `?version=${version}` : ''}`, null, 'GET', { slug });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return PublicSummaryOut.parse(res.body);
}

type Published = Awaited<ReturnType<typeof publicSummary>>;
type ShownCell = { by: Record<string, string>; count?: number; value?: number | null; suppressed?: boolean };

/** A number the attacker reads off a public snapshot: the cell (or margin) `by` of its first section. */
export function shown(s: Published, by: Record<string, string>): ShownCell | undefined {
  const answer = s.snapshot!.sections[0]!.answer as { cells: ShownCell[]; margins: ShownCell[] };
  return [...answer.cells, ...answer.margins].find((c) => JSON.stringify(c.by) === JSON.stringify(by));
}
