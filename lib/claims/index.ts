import 'server-only';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { claim, claimQuestion, sourceReport } from '@/db/schema';
import { assertCan, type Actor } from '../access';
import { audit } from '../audit';
import { BadInput, Conflict, NotFound, problem } from '../errors';
import { inOrg, type OrgScope } from '../scope';
import { auditActor, loadVisible, visibleTo } from '../sources';
import { compareClaims } from './compare';
import { locateExcerpt } from './excerpt';
import { NewClaim, NewQuestion, parsePeriod, QuestionKey, type NewClaimInput } from './input';

/** The organisation's questions, by title. */
export async function listQuestions(actor: Actor) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'source.read', { orgId });
    return tx.select().from(claimQuestion).where(eq(claimQuestion.orgId, orgId)).orderBy(asc(claimQuestion.title));
  });
}

export async function createQuestion(actor: Actor, raw: z.input<typeof NewQuestion>) {
  const input = NewQuestion.parse(raw);
  return inOrg(actor, async (scope) => {
    assertCan(actor, 'claim.create', { orgId: scope.orgId });
    const [row] = await scope.tx.insert(claimQuestion).values({ orgId: scope.orgId, key: input.key, title: input.title }).onConflictDoNothing().returning();
    if (!row) throw new Conflict(problem('questionExists', { key: input.key }));
    await audit(scope.tx, actor, { action: 'claim_question.create', entity: 'claim_question', entityId: row.id, details: { key: input.key } });
    return row;
  });
}

async function questionFor(scope: OrgScope, key: string, title: string | undefined) {
  const [found] = await scope.tx.select().from(claimQuestion).where(and(eq(claimQuestion.orgId, scope.orgId), eq(claimQuestion.key, key)));
  if (found) return found;
  if (!title) throw new BadInput(problem('questionTitleNeeded', { key }), [{ path: 'questionTitle', message: 'required for a new question' }]);
  const [row] = await scope.tx.insert(claimQuestion).values({ orgId: scope.orgId, key, title }).returning();
  await audit(scope.tx, auditActor(scope.actor), { action: 'claim_question.create', entity: 'claim_question', entityId: row!.id, orgId: scope.orgId, actorRole: 'operator', details: { key } });
  return row!;
}

/** Records what a report says on a question; the excerpt must stand in the report's captured text (422 otherwise). */
export async function createClaim(actor: Actor, raw: NewClaimInput) {
  const input = NewClaim.parse(raw);
  return inOrg(actor, async (scope) => {
    assertCan(actor, 'claim.create', { orgId: scope.orgId });
    const source = await loadVisible(scope.tx, actor, input.sourceId);
    const at = locateExcerpt(source.capturedText, input.excerpt, input.excerptStart, input.excerptEnd);
    const question = await questionFor(scope, input.question, input.questionTitle);
    const period = parsePeriod(input.period) || null;
    const [row] = await scope.tx
      .insert(claim)
      .values({
        orgId: scope.orgId,
        questionId: question.id,
        sourceId: source.id,
        valueKind: input.valueKind,
        valueLow: input.valueKind === 'text' ? null : input.value!,
        valueHigh: input.valueKind === 'range' ? input.valueHigh! : null,
        valueText: input.valueKind === 'text' ? input.valueText! : (input.valueText ?? null),
        unit: input.unit || null,
        periodStart: period?.start ?? null,
        periodEnd: period?.end ?? null,
        excerptStart: at.start,
        excerptEnd: at.end,
        excerpt: at.excerpt,
        createdBy: auditActor(actor)?.userId ?? null,
      })
      .returning({ id: claim.id });
    await audit(scope.tx, auditActor(actor), { action: 'claim.create', entity: 'claim', entityId: row!.id, orgId: scope.orgId, actorRole: 'operator', details: { question: question.key, source: source.id } });
    return { id: row!.id, question: question.key, excerptStart: at.start, excerptEnd: at.end };
  });
}

/** What a claim says and stands on: the columns every reader of claims selects. */
export const claimStatementColumns = {
  valueKind: claim.valueKind,
  valueLow: claim.valueLow,
  valueHigh: claim.valueHigh,
  valueText: claim.valueText,
  unit: claim.unit,
  periodStart: claim.periodStart,
  periodEnd: claim.periodEnd,
  excerpt: claim.excerpt,
};

const claimColumns = {
  id: claim.id,
  questionId: claim.questionId,
  sourceId: claim.sourceId,
  ...claimStatementColumns,
  excerptStart: claim.excerptStart,
  excerptEnd: claim.excerptEnd,
  createdAt: claim.createdAt,
  sourceTitle: sourceReport.title,
  publisher: sourceReport.publisher,
  language: sourceReport.language,
  reliability: sourceReport.reliability,
  credibility: sourceReport.credibility,
};

/**
 * The organisation's claims per question, every source side by side and marked: agreeing or
 * differing with the other sources for the same period, unreliable by grade.
 */
export async function claimsByQuestion(actor: Actor, opts: { question?: string } = {}) {
  const key = opts.question ? QuestionKey.parse(opts.question) : undefined;
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'source.read', { orgId });
    const questions = await tx
      .select()
      .from(claimQuestion)
      .where(and(eq(claimQuestion.orgId, orgId), key ? eq(claimQuestion.key, key) : undefined))
      .orderBy(asc(claimQuestion.title));
    if (key && questions.length === 0) throw new NotFound('question');
    if (questions.length === 0) return [];
    const rows = await tx
      .select(claimColumns)
      .from(claim)
      .innerJoin(sourceReport, eq(sourceReport.id, claim.sourceId))
      .where(and(eq(claim.orgId, orgId), inArray(claim.questionId, questions.map((q) => q.id)), visibleTo(actor)))
      .orderBy(asc(claim.periodStart), asc(claim.createdAt));
    return questions.map((q) => ({
      key: q.key,
      title: q.title,
      claims: compareClaims(rows.filter((r) => r.questionId === q.id)).map(({ claim: c, agreement, unreliable }) => ({ ...c, agreement, unreliable })),
    }));
  });
}

/** The organisation's claims that stand on one report. */
export async function claimsOfSource(actor: Actor, sourceId: string) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'source.read', { orgId });
    return tx
      .select({ ...claimColumns, questionKey: claimQuestion.key, questionTitle: claimQuestion.title })
      .from(claim)
      .innerJoin(sourceReport, eq(sourceReport.id, claim.sourceId))
      .innerJoin(claimQuestion, eq(claimQuestion.id, claim.questionId))
      .where(and(eq(claim.orgId, orgId), eq(claim.sourceId, sourceId), visibleTo(actor)))
      .orderBy(asc(claim.excerptStart));
  });
}
