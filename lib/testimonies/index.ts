import 'server-only';
import { and, asc, desc, eq, exists, gt, gte, inArray, lt, lte, ne, notExists, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '@/db';
import { appUser, auditEvent, consent, subjectFact, iloIndicator, indicator, injury, outcome, siteType, subject, testimony, testimonyStatus, visaType, type Testimony } from '@/db/schema';
import { refreshFacts } from '../aggregates/facts';
import { flagSummariesCounting } from '../summaries/flags';
import { assertCan, type Actor } from '../access';
import { audit } from '../audit';
import { decrypt, encrypt } from '../crypto/envelope';
import { BadInput, Conflict, NotFound, problem } from '../errors';
import { inOrg, type OrgScope } from '../scope';
import { deriveHours } from './domain/hours';
import { sealHomeProvince } from './home-province';
import { payBreakdown } from './domain/pay';
import { districtOf, RegionCode } from './domain/regions';
import { newSubjectCode, SubjectCode } from './domain/subject-code';
import { AUDIENCES, consentCovers, scopesOf, type Audience } from './audience';
import { NewTestimony, TestimonyFields, type NewTestimonyInput, type TestimonyValues } from './input';


const place = (column: string, rowId: string, table = 'testimony') => ({ table, column, rowId });
const monthDate = (m?: string) => (m ? `${m}-01` : null);

/** The typed columns of a testimony from validated input (encrypted fields are set separately). */
function columnsOf(v: TestimonyValues) {
  return {
    interviewDate: v.interviewDate ?? null,
    interviewerId: v.interviewerId ?? null,
    interviewLanguage: v.interviewLanguage ?? null,
    ageBand: v.ageBand ?? null,
    deploymentStart: monthDate(v.deployment.start),
    deploymentEnd: monthDate(v.deployment.end),
    region: v.deployment.region ?? null,
    federalDistrict: v.deployment.region ? districtOf(v.deployment.region) : null,
    siteType: v.deployment.siteType ?? null,
    visaType: v.deployment.visaType ?? null,
    outcome: v.deployment.outcome ?? null,
    shiftStart: v.hours.shiftStart ?? null,
    shiftEnd: v.hours.shiftEnd ?? null,
    daysPerWeek: v.hours.daysPerWeek ?? null,
    restDaysPerYear: v.hours.restDaysPerYear ?? null,
    payCurrency: v.pay.currency ?? null,
    wagePaid: v.pay.wagePaid ?? null,
    loyaltyContribution: v.pay.loyaltyContribution ?? null,
    ledgerCredit: v.pay.ledgerCredit ?? null,
    receivedInHand: v.pay.receivedInHand ?? null,
    ledgerPaid: v.pay.ledgerPaid ?? null,
    housing: v.conditions.housing ?? null,
    minders: v.conditions.minders ?? null,
    ideologicalSessions: v.conditions.ideologicalSessions ?? null,
    phonesForbidden: v.conditions.phonesForbidden ?? null,
  };
}

/**
 * The interviewer must be a user of the actor's organisation: another organisation's user, or an id
 * of nobody, is refused with the field's name (never a 500 from the foreign key, which would also
 * tell whether a user id exists elsewhere). An interviewer already recorded may stay after leaving.
 */
async function checkInterviewer(scope: OrgScope, id: string | undefined, recorded?: string | null) {
  if (!id || id === recorded) return;
  const [found] = await scope.tx.select({ id: appUser.id }).from(appUser).where(and(eq(appUser.id, id), eq(appUser.orgId, scope.orgId)));
  if (found) return;
  const refused = problem('interviewerUnknown');
  throw new BadInput(refused, [{ path: 'interviewerId', message: refused.text }]);
}

/** Who may be named as interviewer: the organisation's staff (those who left too, for older records), by e-mail. */
export async function interviewerChoices(actor: Actor): Promise<{ id: string; email: string }[]> {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'testimony.create', { orgId });
    return tx
      .select({ id: appUser.id, email: appUser.email })
      .from(appUser)
      .where(and(eq(appUser.orgId, orgId), inArray(appUser.role, ['caseworker', 'reviewer', 'admin'])))
      .orderBy(asc(appUser.email));
  });
}

async function subjectFor(scope: OrgScope, code: string | undefined, attrs: { sex?: 'female' | 'male' | 'unknown'; homeProvince?: string }) {
  if (code) {
    const [found] = await scope.tx.select().from(subject).where(and(eq(subject.orgId, scope.orgId), eq(subject.code, code)));
    if (!found) throw new NotFound('subject');
    return found;
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = crypto.randomUUID(); // chosen here: the province is encrypted bound to it
    const [created] = await scope.tx
      .insert(subject)
      .values({ id, orgId: scope.orgId, code: newSubjectCode(), sex: attrs.sex ?? 'unknown', homeProvince: sealHomeProvince(attrs.homeProvince, id) })
      .onConflictDoNothing()
      .returning();
    if (created) return created;
  }
  throw new Conflict(problem('subjectCodeExhausted'));
}

async function writeChildren(tx: Tx, orgId: string, testimonyId: string, v: TestimonyValues) {
  if (v.injuries.length) {
    await tx.insert(injury).values(v.injuries.map((i) => ({ ...i, month: monthDate(i.month), testimonyId, orgId })));
  }
  const indicators = Object.entries(v.indicators).filter(([, x]) => x);
  if (indicators.length) {
    await tx.insert(indicator).values(
      indicators.map(([key, x]) => ({
        testimonyId,
        orgId,
        indicator: key as (typeof indicator.$inferInsert)['indicator'],
        answer: x!.answer,
        note: x!.note ? encrypt(x!.note, place(`note:${key}`, testimonyId, 'testimony_indicator')) : null,
      })),
    );
  }
}

/** A caseworker records an interview: subject, record, consent, injuries and indicators in one transaction. */
export async function createTestimony(actor: Actor, raw: NewTestimonyInput) {
  const input = NewTestimony.parse(raw);
  return inOrg(actor, async (scope) => {
    const { tx, orgId } = scope;
    assertCan(actor, 'testimony.create', { orgId });
    await checkInterviewer(scope, input.interviewerId);
    const subj = await subjectFor(scope, input.subjectCode, input.subject);
    const id = crypto.randomUUID();
    await tx.insert(testimony).values({
      id,
      orgId,
      subjectId: subj.id,
      enteredBy: actor.userId,
      ...columnsOf(input),
      narrative: input.narrative ? encrypt(input.narrative, place('narrative', id)) : null,
      interviewerNotes: input.interviewerNotes ? encrypt(input.interviewerNotes, place('interviewer_notes', id)) : null,
    });
    const scopes = new Set(input.consent.scopes);
    await tx.insert(consent).values({
      testimonyId: id,
      orgId,
      internal: true,
      research: scopes.has('research'),
      publicAggregate: scopes.has('public_aggregate'),
      publicQuote: scopes.has('public_quote'),
      method: input.consent.method,
      recordedAt: input.consent.recordedAt ? new Date(input.consent.recordedAt) : new Date(),
      recordedBy: actor.userId,
    });
    await writeChildren(tx, orgId, id, input);
    await audit(tx, actor, { action: 'testimony.create', entity: 'testimony', entityId: id, details: { subject: subj.code } });
    return { id, subjectCode: subj.code, version: 1 };
  });
}

/** One testimony of the actor's organisation, audited; narrative and notes decrypted only for its staff. */
export async function getTestimony(actor: Actor, rawId: string) {
  const id = z.uuid().safeParse(rawId);
  if (!id.success) throw new NotFound('testimony');
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'testimony.read', { orgId });
    const [row] = await tx.select().from(testimony).where(and(eq(testimony.id, id.data), eq(testimony.orgId, orgId)));
    if (!row) throw new NotFound('testimony');
    await audit(tx, actor, { action: 'testimony.read', entity: 'testimony', entityId: id.data });
    return presentById(tx, orgId, row);
  });
}

function present(
  t: Testimony,
  subjectCode: string,
  c: typeof consent.$inferSelect | null,
  injuries: (typeof injury.$inferSelect)[],
  indicators: (typeof indicator.$inferSelect)[],
) {
  const { narrative, interviewerNotes, ...fields } = t;
  const clock = (time: string | null) => time?.slice(0, 5) ?? null;
  const pay = payBreakdown(t);
  return {
    ...fields,
    subjectCode,
    /** Computed, never stored: hours a day and a week, the share of pay withheld, and why the amounts do not add up (flagged, not refused). */
    derived: {
      ...deriveHours({ shiftStart: clock(t.shiftStart), shiftEnd: clock(t.shiftEnd), daysPerWeek: t.daysPerWeek }),
      shareWithheld: pay.shareWithheld,
      payInconsistent: pay.inconsistent,
      payIssues: pay.issues,
    },
    narrative: narrative ? decrypt(narrative, place('narrative', t.id)) : null,
    interviewerNotes: interviewerNotes ? decrypt(interviewerNotes, place('interviewer_notes', t.id)) : null,
    consent: c && {
      scopes: scopesOf(c),
      /** Which audiences this consent reaches now (withdrawal included); approval is a separate condition. */
      covers: Object.fromEntries(AUDIENCES.map((a) => [a, consentCovers(c, a)])) as Record<Audience, boolean>,
      method: c.method,
      recordedAt: c.recordedAt,
      recordedBy: c.recordedBy,
      withdrawnAt: c.withdrawnAt,
      withdrawalReason: c.withdrawalReason ? decrypt(c.withdrawalReason, place('withdrawal_reason', t.id, 'testimony_consent')) : null,
    },
    injuries: injuries.map(({ orgId: _o, testimonyId: _t, ...i }) => i),
    indicators: Object.fromEntries(
      indicators.map((i) => [i.indicator, { answer: i.answer, note: i.note ? decrypt(i.note, place(`note:${i.indicator}`, t.id, 'testimony_indicator')) : null }]),
    ),
  };
}

async function loadForChange(scope: OrgScope, rawId: string) {
  const id = z.uuid().safeParse(rawId);
  if (!id.success) throw new NotFound('testimony');
  const [row] = await scope.tx
    .select()
    .from(testimony)
    .where(and(eq(testimony.id, id.data), eq(testimony.orgId, scope.orgId)))
    .for('update');
  if (!row) throw new NotFound('testimony');
  return row;
}

/** Withdrawal takes effect at once: the audience function stops counting the testimony in the same commit. */
export async function withdrawConsent(actor: Actor, rawId: string, rawReason: string) {
  const reason = z.string().trim().min(1, 'Give a reason.').max(2000).parse(rawReason);
  return inOrg(actor, async (scope) => {
    assertCan(actor, 'testimony.update', { orgId: scope.orgId });
    const t = await loadForChange(scope, rawId);
    const [updated] = await scope.tx
      .update(consent)
      .set({ withdrawnAt: new Date(), withdrawalReason: encrypt(reason, place('withdrawal_reason', t.id, 'testimony_consent')) })
      .where(and(eq(consent.testimonyId, t.id), eq(consent.orgId, scope.orgId), sql`${consent.withdrawnAt} is null`))
      .returning({ at: consent.withdrawnAt });
    if (!updated) throw new Conflict(problem('consentAlreadyWithdrawn'));
    const [former] = await scope.tx
      .select()
      .from(subjectFact)
      .where(and(eq(subjectFact.subjectId, t.subjectId), eq(subjectFact.audience, 'public_aggregate'), eq(subjectFact.testimonyId, t.id)));
    await refreshFacts(scope.tx, [t.subjectId]);
    // The worker was in public counts through this testimony: published summaries that counted them need a new version.
    if (former) await flagSummariesCounting(scope.tx, scope.orgId, former);
    await audit(scope.tx, actor, { action: 'testimony.consent_withdraw', entity: 'testimony', entityId: t.id });
    return { withdrawnAt: updated.at };
  });
}

async function transition(actor: Actor, rawId: string, to: 'submitted' | 'approved', expectedVersion?: number) {
  return inOrg(actor, async (scope) => {
    // The role first: a role that may not do this learns nothing of the record (not whether it
    // exists, not its version) and takes no row lock.
    assertCan(actor, to === 'submitted' ? 'testimony.update' : 'testimony.approve', { orgId: scope.orgId });
    const t = await loadForChange(scope, rawId);
    if (expectedVersion !== undefined && expectedVersion !== t.version) {
      throw new Conflict(`This testimony changed since you loaded it (version ${expectedVersion}, now ${t.version}). Reload and try again.`);
    }
    if (to === 'submitted') {
      assertCan(actor, 'testimony.update', { orgId: t.orgId });
      if (t.status !== 'draft') throw new Conflict(`Only a draft can be submitted; this one is ${t.status}.`);
    } else {
      assertCan(actor, 'testimony.approve', { orgId: t.orgId, enteredBy: t.enteredBy });
      if (t.status !== 'submitted') throw new Conflict(`Only a submitted testimony can be approved; this one is ${t.status}.`);
    }
    const now = new Date();
    await scope.tx
      .update(testimony)
      .set({
        status: to,
        version: t.version + 1,
        updatedAt: now,
        ...(to === 'submitted' ? { submittedAt: now } : { approvedAt: now, approvedBy: actor.userId }),
      })
      .where(eq(testimony.id, t.id));
    if (to === 'approved') await refreshFacts(scope.tx, [t.subjectId]);
    await audit(scope.tx, actor, {
      action: to === 'submitted' ? 'testimony.submit' : 'testimony.approve',
      entity: 'testimony',
      entityId: t.id,
      details: { status: to, version: t.version + 1 },
    });
    return { id: t.id, status: to, version: t.version + 1 };
  });
}

export const submitTestimony = (actor: Actor, id: string, version?: number) => transition(actor, id, 'submitted', version);
export const approveTestimony = (actor: Actor, id: string, version?: number) => transition(actor, id, 'approved', version);

/** Filters of the list (page and API alike); unknown or malformed values are refused, not ignored. */
export const TestimonyFilter = z.object({
  status: z.enum(testimonyStatus.enumValues).optional(),
  from: z.iso.date().optional(), // interview date, inclusive
  to: z.iso.date().optional(),
  region: RegionCode.optional(),
  siteType: z.enum(siteType.enumValues).optional(),
  visaType: z.enum(visaType.enumValues).optional(),
  outcome: z.enum(outcome.enumValues).optional(),
  injury: z.enum(['yes', 'no']).optional(),
  indicator: z.enum(iloIndicator.enumValues).optional(), // answered "yes"
  subject: SubjectCode.optional(),
  reviewable: z.enum(['1']).optional(), // submitted and not entered by me: the review queue
  // By when it was recorded, or by interview date (undated interviews last either way).
  order: z.enum(['newest', 'oldest', 'interviewed-latest', 'interviewed-earliest']).default('newest'),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TestimonyFilterInput = z.input<typeof TestimonyFilter>;

// Cursor = "<sort key>|<id>" of the last row seen, base64url: stable under inserts. The sort key is
// created_at as the database writes it (rows of one import share it; the id breaks the tie), or for
// the interview orders the interview date (undated: a far date, so they come last either way).
const encodeCursor = (key: string, id: string) => Buffer.from(`${key}|${id}`).toString('base64url');
// A date, optionally followed by a time and offset as PostgreSQL prints a timestamptz; checked here so
// the database never sees a value it would refuse (2025-02-30, 25:00).
const SORT_TIME = /^ ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-](0\d|1[0-5])(:[0-5]\d)?$/;
const isSortKey = (key: string) => z.iso.date().safeParse(key.slice(0, 10)).success && (key.length === 10 || SORT_TIME.test(key.slice(10)));
function decodeCursor(cursor: string) {
  const [key, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!key || !isSortKey(key) || !id || !z.uuid().safeParse(id).success)
    throw new BadInput(problem('badCursor'), [{ path: 'cursor', message: 'not a cursor from this list' }]);
  return { key, id };
}

/** The organisation's testimonies (no narrative), filtered, in pages. */
export async function listTestimonies(actor: Actor, raw: TestimonyFilterInput = {}) {
  const f = TestimonyFilter.parse(raw);
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'testimony.read', { orgId });
    const where: (SQL | undefined)[] = [
      eq(testimony.orgId, orgId),
      f.status ? eq(testimony.status, f.status) : undefined,
      f.from ? gte(testimony.interviewDate, f.from) : undefined,
      f.to ? lte(testimony.interviewDate, f.to) : undefined,
      f.region ? eq(testimony.region, f.region) : undefined,
      f.siteType ? eq(testimony.siteType, f.siteType) : undefined,
      f.visaType ? eq(testimony.visaType, f.visaType) : undefined,
      f.outcome ? eq(testimony.outcome, f.outcome) : undefined,
      f.subject ? eq(subject.code, f.subject) : undefined,
      f.injury ? (f.injury === 'yes' ? exists : notExists)(tx.select({ one: sql`1` }).from(injury).where(eq(injury.testimonyId, testimony.id))) : undefined,
      f.indicator
        ? exists(tx.select({ one: sql`1` }).from(indicator).where(and(eq(indicator.testimonyId, testimony.id), eq(indicator.indicator, f.indicator), eq(indicator.answer, 'yes'))))
        : undefined,
      f.reviewable ? and(eq(testimony.status, 'submitted'), ne(testimony.enteredBy, actor.userId)) : undefined,
    ];
    const byInterview = f.order === 'interviewed-latest' || f.order === 'interviewed-earliest';
    const descending = f.order === 'newest' || f.order === 'interviewed-latest';
    const undated = descending ? '0001-01-01' : '9999-12-31';
    const key = byInterview ? sql`coalesce(${testimony.interviewDate}, ${undated}::date)` : sql`${testimony.createdAt}`;
    if (f.cursor) {
      const c = decodeCursor(f.cursor);
      const at = byInterview ? sql`${c.key}::date` : sql`${c.key}::timestamptz`;
      where.push(descending ? sql`(${key}, ${testimony.id}) < (${at}, ${c.id}::uuid)` : sql`(${key}, ${testimony.id}) > (${at}, ${c.id}::uuid)`);
    }
    const rows = await tx
      .select({
        id: testimony.id,
        subjectCode: subject.code,
        status: testimony.status,
        version: testimony.version,
        interviewDate: testimony.interviewDate,
        region: testimony.region,
        siteType: testimony.siteType,
        outcome: testimony.outcome,
        createdAt: testimony.createdAt,
        sortKey: sql<string>`${key}::text`,
      })
      .from(testimony)
      .innerJoin(subject, eq(subject.id, testimony.subjectId))
      .where(and(...where))
      .orderBy(...(descending ? [desc(key), desc(testimony.id)] : [asc(key), asc(testimony.id)]))
      .limit(f.limit + 1);
    const page = rows.slice(0, f.limit).map(({ sortKey: _, ...row }) => row);
    const last = rows[f.limit - 1];
    return { testimonies: page, nextCursor: rows.length > f.limit && last ? encodeCursor(last.sortKey, last.id) : null };
  });
}

type Presented = ReturnType<typeof present>;
const month = (d: string | null) => (d ? d.slice(0, 7) : undefined);
const hhmm = (t: string | null) => (t ? t.slice(0, 5) : undefined);
const opt = <T>(v: T | null) => (v === null ? undefined : v);

/** A stored testimony in the shape of the input, so an edit can be merged into it and validated whole. */
export function toValues(t: Presented): z.input<typeof TestimonyFields> {
  return {
    interviewDate: opt(t.interviewDate),
    interviewerId: opt(t.interviewerId),
    interviewLanguage: opt(t.interviewLanguage),
    ageBand: opt(t.ageBand),
    deployment: { start: month(t.deploymentStart), end: month(t.deploymentEnd), region: opt(t.region) as RegionCode | undefined, siteType: opt(t.siteType), visaType: opt(t.visaType), outcome: opt(t.outcome) },
    hours: { shiftStart: hhmm(t.shiftStart), shiftEnd: hhmm(t.shiftEnd), daysPerWeek: opt(t.daysPerWeek), restDaysPerYear: opt(t.restDaysPerYear) },
    pay: {
      currency: opt(t.payCurrency),
      wagePaid: opt(t.wagePaid),
      loyaltyContribution: opt(t.loyaltyContribution),
      ledgerCredit: opt(t.ledgerCredit),
      receivedInHand: opt(t.receivedInHand),
      ledgerPaid: opt(t.ledgerPaid),
    },
    conditions: { housing: opt(t.housing), minders: opt(t.minders), ideologicalSessions: opt(t.ideologicalSessions), phonesForbidden: opt(t.phonesForbidden) },
    injuries: t.injuries.map((i) => ({ kind: i.kind, severity: i.severity, month: month(i.month), care: i.care, keptWorking: i.keptWorking })),
    indicators: Object.fromEntries(Object.entries(t.indicators).map(([k, v]) => [k, { answer: v.answer, note: v.note ?? undefined }])),
    narrative: opt(t.narrative),
    interviewerNotes: opt(t.interviewerNotes),
  };
}

export const TestimonyPatch = z
  .object({ version: z.number().int().positive() })
  .catchall(z.unknown())
  .refine((p) => Object.keys(p).every((k) => k === 'version' || k in TestimonyFields.shape), {
    message: `Only these fields can be changed: ${Object.keys(TestimonyFields.shape).join(', ')}.`,
  });

const SECTIONS = new Set(['deployment', 'hours', 'pay', 'conditions']);

/**
 * Edits a testimony with optimistic locking: a stale version is refused with 409 naming what
 * changed since, never overwritten. Sections (deployment, hours, pay, conditions) merge by key;
 * lists and texts replace. An approved testimony goes back to draft for review again.
 */
export async function updateTestimony(actor: Actor, rawId: string, rawPatch: unknown, opts: { replaceAll?: boolean } = {}) {
  const patch = TestimonyPatch.parse(rawPatch);
  return inOrg(actor, async (scope) => {
    const { tx, orgId } = scope;
    assertCan(actor, 'testimony.update', { orgId });
    const t = await loadForChange(scope, rawId);
    if (patch.version !== t.version) {
      const since = await changesSince(tx, orgId, t.id, patch.version);
      throw new Conflict(since ? problem('testimonyStaleSince', { yours: patch.version, now: t.version, since }) : problem('testimonyStale', { yours: patch.version, now: t.version }));
    }
    // A whole form replaces the record; an API patch merges into it.
    const current = opts.replaceAll ? {} : toValues(await presentById(tx, orgId, t));
    const merged: Record<string, unknown> = { ...current };
    const changed: string[] = [];
    for (const [key, value] of Object.entries(patch)) {
      if (key === 'version') continue;
      changed.push(key);
      merged[key] = SECTIONS.has(key) && value && typeof value === 'object' ? { ...((current as Record<string, object>)[key] ?? {}), ...value } : value;
    }
    const values = TestimonyFields.parse(merged);
    await checkInterviewer(scope, values.interviewerId, t.interviewerId);
    const now = new Date();
    await tx
      .update(testimony)
      .set({
        ...columnsOf(values),
        narrative: values.narrative ? encrypt(values.narrative, place('narrative', t.id)) : null,
        interviewerNotes: values.interviewerNotes ? encrypt(values.interviewerNotes, place('interviewer_notes', t.id)) : null,
        version: t.version + 1,
        status: t.status === 'approved' ? 'draft' : t.status,
        approvedAt: null,
        approvedBy: null,
        updatedAt: now,
      })
      .where(eq(testimony.id, t.id));
    await tx.delete(injury).where(and(eq(injury.testimonyId, t.id), eq(injury.orgId, orgId)));
    await tx.delete(indicator).where(and(eq(indicator.testimonyId, t.id), eq(indicator.orgId, orgId)));
    await writeChildren(tx, orgId, t.id, values);
    // An approved testimony went back to draft: the subject's earlier approved one (if any) speaks for it now.
    if (t.status === 'approved') await refreshFacts(tx, [t.subjectId]);
    await audit(tx, actor, { action: 'testimony.update', entity: 'testimony', entityId: t.id, details: { fields: changed, version: t.version + 1 } });
    return { id: t.id, version: t.version + 1 };
  });
}

/** What other people changed after `version`, from the audit log: "hours, pay by a@b (version 3)". */
async function changesSince(tx: Tx, orgId: string, testimonyId: string, version: number) {
  const rows = await tx
    .select({ details: auditEvent.details, email: appUser.email })
    .from(auditEvent)
    .leftJoin(appUser, eq(appUser.id, auditEvent.actorId))
    .where(and(eq(auditEvent.orgId, orgId), eq(auditEvent.entityId, testimonyId), inArray(auditEvent.action, ['testimony.update', 'testimony.submit', 'testimony.approve'])))
    .orderBy(auditEvent.id);
  return rows
    .filter((r) => Number(r.details.version ?? 0) > version || r.details.version === undefined)
    .filter((r) => Array.isArray(r.details.fields) || r.details.status)
    .map((r) => `${Array.isArray(r.details.fields) ? (r.details.fields as string[]).join(', ') : `status ${String(r.details.status)}`} by ${r.email ?? 'someone'} (version ${String(r.details.version)})`)
    .join('; ');
}

async function presentById(tx: Tx, orgId: string, t: Testimony) {
  const [s] = await tx.select({ code: subject.code }).from(subject).where(eq(subject.id, t.subjectId));
  const [c] = await tx.select().from(consent).where(eq(consent.testimonyId, t.id));
  const injuries = await tx.select().from(injury).where(and(eq(injury.testimonyId, t.id), eq(injury.orgId, orgId)));
  const indicators = await tx.select().from(indicator).where(and(eq(indicator.testimonyId, t.id), eq(indicator.orgId, orgId)));
  return present(t, s!.code, c ?? null, injuries, indicators);
}

/** How many of the organisation's testimonies are in each status. */
export async function countByStatus(actor: Actor) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'testimony.read', { orgId });
    const rows = await tx
      .select({ status: testimony.status, n: sql<number>`count(*)::int` })
      .from(testimony)
      .where(eq(testimony.orgId, orgId))
      .groupBy(testimony.status);
    return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Partial<Record<Testimony['status'], number>>;
  });
}
