import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import { claim, claimQuestion, sourceReport, summary } from '@/db/schema';
import { assertCan, type Actor } from '../access';
import { claimStatementColumns } from '../claims';
import { inOrg } from '../scope';
import { publishableQuotes } from '../testimonies/quotes';

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
