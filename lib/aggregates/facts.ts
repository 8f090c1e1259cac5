import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { db, type Tx } from '@/db';
import { consent, indicator, injury, subject, subjectFact, testimony, type SubjectFact, type Testimony } from '@/db/schema';
import { audit } from '../audit';
import { rowCountsFor } from '../testimonies/audience';
import { deriveHours } from '../testimonies/domain/hours';
import { ILO_INDICATOR_KEYS } from '../testimonies/domain/indicators';
import { payBreakdown, toUsd } from '../testimonies/domain/pay';

// The per-subject facts behind every aggregate (db/schema/aggregates.ts). `factOf` is the one
// derivation from a testimony to the values counted; `refreshFacts` rewrites the facts of some
// subjects inside the caller's transaction, so an approval or a withdrawal and its effect on the
// counts commit together.

export const FACT_AUDIENCES = ['internal', 'research', 'public_aggregate'] as const;
export type FactAudience = (typeof FACT_AUDIENCES)[number];

/** What factOf reads from a testimony row (the database returns times as HH:MM:SS). */
export type FactSource = Pick<
  Testimony,
  | 'id'
  | 'orgId'
  | 'subjectId'
  | 'interviewDate'
  | 'deploymentStart'
  | 'federalDistrict'
  | 'region'
  | 'siteType'
  | 'visaType'
  | 'outcome'
  | 'ageBand'
  | 'shiftStart'
  | 'shiftEnd'
  | 'daysPerWeek'
  | 'restDaysPerYear'
  | 'payCurrency'
  | 'wagePaid'
  | 'loyaltyContribution'
  | 'ledgerCredit'
  | 'receivedInHand'
  | 'housing'
  | 'minders'
  | 'phonesForbidden'
>;

export interface FactChildren {
  sex: 'female' | 'male' | 'unknown' | null;
  /** The subject's record key (subject.record_key): the worker keeps it for as long as they are counted. */
  recordKey: number;
  injuries: readonly { care: string; keptWorking: string }[];
  indicators: readonly { indicator: string; answer: string }[];
}

/** 2024-04-01 → 2024 × 4 + 1. */
export function quarterOf(date: string | null | undefined): number | null {
  if (!date) return null;
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return year * 4 + Math.floor((month - 1) / 3);
}

const tri = (answer: string | null | undefined) => (answer === 'yes' ? true : answer === 'no' ? false : null);
const clock = (time: string | null) => (time ? time.slice(0, 5) : null);

/** The values one testimony contributes to aggregates for one audience. Pure. */
export function factOf(t: FactSource, children: FactChildren, audience: FactAudience): SubjectFact {
  const { hoursPerDay, hoursPerWeek } = deriveHours({ shiftStart: clock(t.shiftStart), shiftEnd: clock(t.shiftEnd), daysPerWeek: t.daysPerWeek });
  const { shareWithheld } = payBreakdown(t);
  // Pay is converted at the rate of the year it was earned: the deployment's, else the interview's.
  const payYear = Number((t.deploymentStart ?? t.interviewDate ?? '').slice(0, 4));
  const usd = (amount: number | null) => (amount == null || !t.payCurrency || !payYear ? null : toUsd(amount, t.payCurrency, payYear));
  let iloYes = 0;
  let iloKnown = 0;
  for (const i of children.indicators) {
    const bit = ILO_INDICATOR_KEYS.indexOf(i.indicator as never);
    if (bit < 0 || tri(i.answer) === null) continue;
    iloKnown |= 1 << bit;
    if (i.answer === 'yes') iloYes |= 1 << bit;
  }
  return {
    audience,
    subjectId: t.subjectId,
    orgId: t.orgId,
    testimonyId: t.id,
    recordKey: children.recordKey,
    quarter: quarterOf(t.deploymentStart),
    federalDistrict: t.federalDistrict,
    region: t.region,
    siteType: t.siteType,
    visaType: t.visaType,
    outcome: t.outcome,
    ageBand: t.ageBand,
    sex: children.sex,
    hoursPerDay,
    hoursPerWeek,
    restDaysPerYear: t.restDaysPerYear,
    shareWithheld,
    loyaltyUsd: usd(t.loyaltyContribution),
    ledgerUsd: usd(t.ledgerCredit),
    anyInjury: children.injuries.length > 0,
    careDelayedOrDenied: children.injuries.some((i) => i.care === 'delayed' || i.care === 'denied'),
    keptWorkingInjured: children.injuries.some((i) => i.keptWorking === 'yes'),
    iloYes,
    iloKnown,
    housing: t.housing,
    minders: tri(t.minders),
    phonesForbidden: tri(t.phonesForbidden),
  };
}

/**
 * Which testimony speaks for a subject: the latest interview (then the latest entered). A later
 * testimony without consent for an audience leaves the earlier one speaking for that audience.
 */
const latestFirst = [sql`${testimony.interviewDate} desc nulls last`, sql`${testimony.createdAt} desc`, sql`${testimony.id} desc`];

/** The facts the subjects should have now, computed from their testimonies. */
export async function computeFacts(tx: Tx, subjectIds: readonly string[]): Promise<SubjectFact[]> {
  if (subjectIds.length === 0) return [];
  const rows = await tx
    .select({ t: testimony, c: consent, sex: subject.sex, recordKey: subject.recordKey })
    .from(testimony)
    .innerJoin(consent, eq(consent.testimonyId, testimony.id))
    .innerJoin(subject, eq(subject.id, testimony.subjectId))
    .where(and(inArray(testimony.subjectId, [...subjectIds]), eq(testimony.status, 'approved')))
    .orderBy(asc(testimony.subjectId), ...latestFirst);
  const chosen = new Map<string, { row: (typeof rows)[number]; audiences: FactAudience[] }>();
  const taken = new Set<string>(); // audience:subject
  for (const row of rows) {
    for (const audience of FACT_AUDIENCES) {
      const key = `${audience}:${row.t.subjectId}`;
      if (taken.has(key) || !rowCountsFor(row.t, row.c, audience)) continue;
      taken.add(key);
      const entry = chosen.get(row.t.id) ?? { row, audiences: [] };
      entry.audiences.push(audience);
      chosen.set(row.t.id, entry);
    }
  }
  if (chosen.size === 0) return [];
  const ids = [...chosen.keys()];
  const injuries = await tx.select({ testimonyId: injury.testimonyId, care: injury.care, keptWorking: injury.keptWorking }).from(injury).where(inArray(injury.testimonyId, ids));
  const indicators = await tx.select({ testimonyId: indicator.testimonyId, indicator: indicator.indicator, answer: indicator.answer }).from(indicator).where(inArray(indicator.testimonyId, ids));
  const facts: SubjectFact[] = [];
  for (const [id, { row, audiences }] of chosen) {
    const children = { sex: row.sex, recordKey: row.recordKey, injuries: injuries.filter((i) => i.testimonyId === id), indicators: indicators.filter((i) => i.testimonyId === id) };
    for (const audience of audiences) facts.push(factOf(row.t, children, audience));
  }
  return facts;
}

const INSERT_BATCH = 1000;

/**
 * Rewrites the facts of these subjects in the caller's transaction. Call it after any change to their
 * testimonies. The record key comes from the subject row, so a rewrite keeps it.
 */
export async function refreshFacts(tx: Tx, subjectIds: readonly string[]): Promise<void> {
  const ids = [...new Set(subjectIds)];
  if (ids.length === 0) return;
  await tx.delete(subjectFact).where(inArray(subjectFact.subjectId, ids));
  await insertFacts(tx, await computeFacts(tx, ids));
}

export async function insertFacts(tx: Tx, facts: readonly SubjectFact[]): Promise<void> {
  for (let i = 0; i < facts.length; i += INSERT_BATCH) await tx.insert(subjectFact).values(facts.slice(i, i + INSERT_BATCH));
}

/** The subjects of some testimonies, for callers that know testimony ids. */
export async function subjectsOf(tx: Tx, testimonyIds: readonly string[]): Promise<string[]> {
  if (testimonyIds.length === 0) return [];
  const rows = await tx.selectDistinct({ id: testimony.subjectId }).from(testimony).where(inArray(testimony.id, [...testimonyIds]));
  return rows.map((r) => r.id);
}

const normalise = (f: SubjectFact) => JSON.stringify(Object.fromEntries(Object.entries(f).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, typeof v === 'number' ? Math.fround(v) : (v ?? null)])));

export interface FactCheck {
  subjects: number;
  /** Subjects whose stored facts differed from their testimonies (before a rebuild fixed them). */
  differing: string[];
}

/**
 * Recomputes every subject's facts and compares them with the stored ones (operators: `facts verify`),
 * or rewrites those that differ (`facts rebuild`). One transaction per batch of subjects, so a million
 * subjects never hold one long transaction; a verify batch reads one snapshot (repeatable read), so
 * an approval committing meanwhile cannot make its subject look different. A rebuild recomputes the
 * facts it rewrites after deleting them (refreshFacts), from what is committed at that moment.
 */
export async function checkFacts(opts: { rebuild?: boolean; batch?: number; onBatch?: (done: FactCheck) => void } = {}): Promise<FactCheck> {
  const batch = opts.batch ?? 2000;
  const database = await db();
  const differing: string[] = [];
  let subjects = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await database.transaction(
      async (tx) => {
        const page = await tx.select({ id: subject.id }).from(subject).where(sql`${subject.id} > ${after}`).orderBy(asc(subject.id)).limit(batch);
        if (page.length === 0) return page;
        const differs = await differingFacts(tx, page.map((p) => p.id));
        differing.push(...differs);
        if (opts.rebuild && differs.length) {
          await refreshFacts(tx, differs);
          await audit(tx, null, { action: 'facts.rebuild', actorRole: 'operator', orgId: null, entity: 'subject_fact', details: { subjects: differs.length } });
        }
        return page;
      },
      { isolationLevel: opts.rebuild ? 'read committed' : 'repeatable read', accessMode: opts.rebuild ? 'read write' : 'read only' },
    );
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    subjects += page.length;
    opts.onBatch?.({ subjects, differing });
  }
  return { subjects, differing };
}

/** The subjects among these whose stored facts are not what their testimonies give now. */
async function differingFacts(tx: Tx, ids: string[]): Promise<string[]> {
  const expected = (await computeFacts(tx, ids)).map(normalise);
  const stored = await tx.select().from(subjectFact).where(inArray(subjectFact.subjectId, ids));
  const actual = stored.map(normalise);
  const want = new Set(expected);
  const have = new Set(actual);
  const differs = new Set<string>();
  for (const f of expected) if (!have.has(f)) differs.add((JSON.parse(f) as SubjectFact).subjectId);
  for (const f of actual) if (!want.has(f)) differs.add((JSON.parse(f) as SubjectFact).subjectId);
  return [...differs];
}
