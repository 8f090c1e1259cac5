import 'server-only';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '@/db';
import { claim, claimQuestion, sourceReport, summary } from '@/db/schema';
import { assertCan, type Actor } from '../access';
import { claimStatementColumns } from '../claims';
import { BadInput, problem, type ProblemKey } from '../errors';
import { inOrg } from '../scope';
import { publishableQuotes } from '../testimonies/quotes';
import type { SummaryContentValues } from './content';

// What an author may put into a summary of their organisation: the same rules buildSnapshot checks
// at publication (approved redactions with public-quote consent, public source reports of the
// organisation, claims standing on them), offered up front so the form lists only what can be used.

export async function authoringChoices(actor: Actor) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'summary.author', { orgId });
    const quotes = await publishableQuotes(tx, { orgId });
    const sources = await tx
      .select({ id: sourceReport.id, title: sourceReport.title, publisher: sourceReport.publisher, publishedOn: sourceReport.publishedOn, reliability: sourceReport.reliability, credibility: sourceReport.credibility })
      .from(sourceReport)
      .where(and(eq(sourceReport.orgId, orgId), eq(sourceReport.visibility, 'public')))
      .orderBy(asc(sourceReport.title), asc(sourceReport.id));
    const claims = await tx
      .select({
        id: claim.id,
        sourceId: claim.sourceId,
        sourceTitle: sourceReport.title,
        question: claimQuestion.title,
        ...claimStatementColumns,
      })
      .from(claim)
      .innerJoin(claimQuestion, eq(claimQuestion.id, claim.questionId))
      .innerJoin(sourceReport, eq(sourceReport.id, claim.sourceId))
      .where(and(eq(claim.orgId, orgId), eq(sourceReport.orgId, orgId), eq(sourceReport.visibility, 'public')))
      .orderBy(asc(claimQuestion.title), asc(claim.periodStart), asc(claim.id));
    const summaries = await tx.select({ id: summary.id, slug: summary.slug, language: summary.language }).from(summary).where(eq(summary.orgId, orgId)).orderBy(asc(summary.slug));
    return { quotes: quotes.map((q) => ({ id: q.id, text: q.redactedText })), sources, claims, summaries };
  });
}
export type AuthoringChoices = Awaited<ReturnType<typeof authoringChoices>>;

/**
 * Refuses, when a draft is saved, a quote, source or claim id that is not among the choices above:
 * another organisation's id (which a draft would otherwise keep, and show to its readers until
 * publication refuses it), an internal report, or an id that exists nowhere, all with the same
 * answer, so it tells nothing of other organisations. Publication checks again (snapshot.ts): a
 * choice can stop being usable after it was saved.
 */
export async function refuseUnusableChoices(tx: Tx, orgId: string, content: Pick<SummaryContentValues, 'quoteIds' | 'sourceIds' | 'claimIds'>) {
  const refused: { path: string; key: ProblemKey }[] = [];
  const unknownAmong = (asked: string[], found: { id: string }[]) => asked.some((id) => !found.some((f) => f.id === id));
  if (content.quoteIds.length && unknownAmong(content.quoteIds, await publishableQuotes(tx, { orgId, quoteIds: content.quoteIds }))) {
    refused.push({ path: 'quoteIds', key: 'summaryQuotesNotPublishable' });
  }
  if (content.sourceIds.length) {
    const found = await tx
      .select({ id: sourceReport.id })
      .from(sourceReport)
      .where(and(eq(sourceReport.orgId, orgId), eq(sourceReport.visibility, 'public'), inArray(sourceReport.id, content.sourceIds)));
    if (unknownAmong(content.sourceIds, found)) refused.push({ path: 'sourceIds', key: 'summarySourcesPublicOnly' });
  }
  if (content.claimIds.length) {
    const found = await tx
      .select({ id: claim.id })
      .from(claim)
      .innerJoin(sourceReport, eq(sourceReport.id, claim.sourceId))
      .where(and(eq(claim.orgId, orgId), eq(sourceReport.orgId, orgId), eq(sourceReport.visibility, 'public'), inArray(claim.id, content.claimIds)));
    if (unknownAmong(content.claimIds, found)) refused.push({ path: 'claimIds', key: 'summaryClaimsPublicOnly' });
  }
  if (refused.length) {
    throw new BadInput(
      problem(refused[0]!.key),
      refused.map((r) => ({ path: r.path, message: problem(r.key).text })),
    );
  }
}
