// Two organisations with one user and one API token per role, and resources of each kind, for the
// attack tests: what an outsider (or an insider of another organisation) would aim at.
import { stringify } from 'csv-stringify/sync';
import { eq } from 'drizzle-orm';
import { db } from '@/db';
import { testimony } from '@/db/schema';
import { ROLES, type Actor } from '@/lib/access';
import { issueToken } from '@/lib/auth/tokens';
import { inTransaction } from '@/lib/scope';
import { captureSource } from '@/lib/sources';
import { approveSummary, createSummary, submitSummary } from '@/lib/summaries';
import { createTestimony, submitTestimony } from '@/lib/testimonies';
import { templateRows } from '@/lib/testimonies/csv';
import { importTestimoniesCsv } from '@/lib/testimonies/import';
import { proposeQuote } from '@/lib/testimonies/quotes';
import { orgWithActors, type RoleActors } from '../actors';
import { uniq, userRow } from '../fixtures';

export type Role = (typeof ROLES)[number];
export const NARRATIVE = 'we worked every night on the roof and slept in a container beside the site';
export const EXCERPT = 'we worked every night on the roof';
export const SOURCE_TEXT = 'Workers described night shifts on the estate and wages kept in a ledger until they went home.';

export interface Org extends RoleActors {
  tokens: Record<Role, string>;
  testimonyId: string;
  quoteId: string;
  internalSourceId: string;
  publicSourceId: string;
  importJobId: string;
}

export async function draft(o: RoleActors, extra: Record<string, unknown> = {}) {
  return (await createTestimony(o.caseworker, { consent: { scopes: ['internal', 'public_quote'], method: 'oral' }, narrative: NARRATIVE, ...extra })).id;
}
export async function submitted(o: RoleActors) {
  const id = await draft(o);
  await submitTestimony(o.caseworker, id);
  return id;
}
export async function proposed(o: RoleActors) {
  return (await proposeQuote(o.caseworker, await draft(o), EXCERPT)).id;
}
export async function versionOf(id: string) {
  const [row] = await (await db()).select({ version: testimony.version }).from(testimony).where(eq(testimony.id, id));
  return row?.version ?? 1;
}
// Summaries of the security organisations count nobody (none of their testimonies has public consent),
// so any number of them publish side by side.
export const SUMMARY_CONTENT = { title: 'Sites in 2023', scope: { from: '2023', to: '2023' }, sections: [{ measure: 'workers' as const, by: ['site_type' as const] }] };
export async function summaryDraft(author: Actor) {
  return (await createSummary(author, { slug: `sec-${uniq()}`, language: 'en', content: SUMMARY_CONTENT })).id;
}
export async function summaryInReview(author: Actor) {
  const id = await summaryDraft(author);
  await submitSummary(author, id);
  return id;
}
export async function summaryPublished(o: RoleActors) {
  const id = await summaryInReview(o.reviewer);
  await approveSummary(o.admin, id);
  return id;
}
export async function* bytes(text: string) {
  yield new TextEncoder().encode(text);
}
export const templateCsv = () => stringify(templateRows(), { record_delimiter: '\r\n' });

export async function securityOrg(prefix: string): Promise<Org> {
  const o = await orgWithActors(prefix);
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    const owner = await userRow(o[role].userId);
    tokens[role] = (await inTransaction((tx) => issueToken(tx, null, owner, `attack-${role}`, 1))).token;
  }
  const testimonyId = await draft(o);
  const quoteId = (await proposeQuote(o.caseworker, testimonyId, EXCERPT)).id;
  const internalSourceId = (await captureSource(o.caseworker, { title: `Internal ${prefix} field notes`, language: 'en', text: `${SOURCE_TEXT} ${uniq()}` })).id;
  const publicSourceId = (await captureSource(o.caseworker, { title: `Public ${prefix} report`, language: 'en', visibility: 'public', text: `${SOURCE_TEXT} ${uniq()}` })).id;
  const importJobId = (await importTestimoniesCsv(o.caseworker, bytes(templateCsv()))).jobId;
  return { ...o, tokens, testimonyId, quoteId, internalSourceId, publicSourceId, importJobId };
}
