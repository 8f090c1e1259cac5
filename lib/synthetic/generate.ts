import type { SubjectFact } from '@/db/schema';
import { FACT_AUDIENCES, factOf, type FactSource } from '../aggregates/facts';
import { rowCountsFor } from '../testimonies/audience';
import { ILO_INDICATOR_KEYS } from '../testimonies/domain/indicators';
import { USD_RATES } from '../testimonies/domain/pay';
import { districtOf, type RegionCode } from '../testimonies/domain/regions';
import { newSubjectCode } from '../testimonies/domain/subject-code';
import * as D from './distributions';

// One synthetic worker, pure and deterministic: everything follows from (seed, organisation number,
// worker index), so any worker can be made again on its own (a resumed run skips the ones present)
// and the same seed gives the same rows in any database. Ids are deterministic too.

/** murmur3's 32-bit finaliser: a bijection on 32-bit integers that mixes every bit. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** sfc32, a small fast generator with 128 bits of state; returns floats in [0, 1). */
export function sfc32(a: number, b: number, c: number, d: number): () => number {
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 0x1_0000_0000;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

export const MAX_SEED = 0xffff_ffff;
/** Subject codes are W- + 6 base-32 symbols: 30 bits. */
const CODE_BITS = 30;
const HALF = CODE_BITS / 2;
const HALF_MASK = (1 << HALF) - 1;
export const CODE_SPACE = 2 ** CODE_BITS;

/** The constants of one organisation's workers for one seed. */
export interface OrgPlan {
  seed: number;
  /** n of `synth-n`: part of every id, so organisations never share one. */
  orgNumber: number;
  orgId: string;
  caseworkerId: string;
  reviewerId: string;
  /** Chance that a worker consents to public aggregates; D.CONSENT_PUBLIC_AGGREGATE by default (the demo asks for more). */
  publicAggregate?: number;
}

/**
 * A keyed permutation of [0, 2^30) (a four-round Feistel network): worker i gets code number
 * permute(i), so codes are unique within the organisation by construction and look random.
 */
export function codePermutation(seed: number, orgNumber: number): (n: number) => number {
  const keys = [0, 1, 2, 3].map((r) => mix32((seed ^ mix32(Math.imul(orgNumber, 0x9e3779b9) + r)) >>> 0));
  return (n: number) => {
    let left = (n >>> HALF) & HALF_MASK;
    let right = n & HALF_MASK;
    for (const k of keys) {
      const f = mix32((right ^ k) >>> 0) & HALF_MASK;
      [left, right] = [right, left ^ f];
    }
    return left * (1 << HALF) + right;
  };
}

/** W- and six Crockford symbols for a 30-bit number (newSubjectCode reads the low five bits of each byte). */
export function codeOf(n: number): string {
  const bytes = new Uint8Array(6);
  for (let i = 0; i < 6; i++) bytes[i] = Math.floor(n / 32 ** (5 - i)) % 32;
  return newSubjectCode(() => bytes);
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
export const ID_KIND = { subject: 1, testimony: 2, injury: 3 } as const;

/**
 * A deterministic uuid (version 4 layout): seed tag, organisation number, kind, then the worker
 * index (and an injury's number). Unique by construction, and increasing with the index, so bulk
 * inserts append to the end of each primary-key index instead of touching random pages.
 */
export function syntheticId(seed: number, orgNumber: number, kind: number, index: number, sub = 0): string {
  const value = index * 16 + sub;
  const high = Math.floor(value / 2 ** 48);
  const low = value % 2 ** 48;
  return `${hex(mix32(seed), 8)}-${hex(orgNumber & 0xffff, 4)}-4${hex(kind, 3)}-8${hex(high & 0xfff, 3)}-${hex(low, 12)}`;
}

/** The inclusive range of ids of one kind for one seed and organisation (finds the workers present). */
export function idRange(seed: number, orgNumber: number, kind: number): [string, string] {
  const prefix = `${hex(mix32(seed), 8)}-${hex(orgNumber & 0xffff, 4)}-4${hex(kind, 3)}-8`;
  return [`${prefix}000-000000000000`, `${prefix}fff-ffffffffffff`];
}

/** The worker index an id of ours stands for, or null for anyone else's id. */
export function indexOfId(id: string, seed: number, orgNumber: number, kind: number): number | null {
  const [low, high] = idRange(seed, orgNumber, kind);
  if (id < low || id > high) return null;
  const value = parseInt(id.slice(20, 23), 16) * 2 ** 48 + parseInt(id.slice(24), 16);
  return Math.floor(value / 16);
}

type Random = () => number;

function pick<T>(random: Random, list: D.Weighted<T>): T {
  let total = 0;
  for (const [, w] of list) total += w;
  let r = random() * total;
  for (const [value, w] of list) {
    r -= w;
    if (r < 0) return value;
  }
  return list[list.length - 1]![0];
}

const tri = (random: Random, [yes, no]: readonly [number, number, number]) => {
  const r = random() * 100;
  return r < yes ? 'yes' : r < yes + no ? 'no' : 'unknown';
};
const between = (random: Random, min: number, max: number, step = 1) => min + step * Math.floor(random() * ((max - min) / step + 1));
const pad2 = (n: number) => String(n).padStart(2, '0');
/** Months since year 0, so month arithmetic is plain addition. */
const monthOf = (year: number, month: number) => year * 12 + month - 1;
const monthDate = (m: number, day = 1) => `${Math.floor(m / 12)}-${pad2((m % 12) + 1)}-${pad2(day)}`;
/** The last month an interview may fall in: the data stays in the past of the rate table. */
const LAST_MONTH = monthOf(2026, 9);

export interface SubjectRow {
  id: string;
  orgId: string;
  code: string;
  sex: 'male' | 'female' | 'unknown';
  createdAt: string;
  recordKey: number;
}

export type TestimonyRow = FactSource & {
  status: 'approved';
  version: number;
  enteredBy: string;
  interviewerId: string;
  interviewLanguage: string;
  deploymentEnd: string | null;
  ledgerPaid: string | null;
  ideologicalSessions: string | null;
  submittedAt: string;
  approvedBy: string;
  approvedAt: string;
  createdAt: string;
  updatedAt: string;
};

export interface ConsentRow {
  testimonyId: string;
  orgId: string;
  internal: boolean;
  research: boolean;
  publicAggregate: boolean;
  publicQuote: boolean;
  method: string;
  recordedAt: string;
  recordedBy: string;
  withdrawnAt: string | null;
}

export interface InjuryRow {
  id: string;
  testimonyId: string;
  orgId: string;
  kind: string;
  severity: string;
  month: string | null;
  care: string;
  keptWorking: string;
}

export interface IndicatorRow {
  testimonyId: string;
  orgId: string;
  indicator: string;
  answer: string;
}

export interface SyntheticWorker {
  index: number;
  subject: SubjectRow;
  testimony: TestimonyRow;
  consent: ConsentRow;
  injuries: InjuryRow[];
  indicators: IndicatorRow[];
  /** The facts lib/aggregates/facts.ts derives, one per audience the consent covers. */
  facts: SubjectFact[];
}

/** Amounts in the reported currency: dollars converted at the year's rate, roubles rounded to the hundred. */
function inCurrency(usd: number, currency: 'USD' | 'RUB' | 'OTHER', year: number): number {
  if (currency === 'USD') return usd;
  const rate = (USD_RATES as Record<number, { RUB: number }>)[year]?.RUB ?? 80;
  // OTHER: an unnamed currency, recorded as given (here roughly roubles); it is never converted.
  return Math.round((usd * rate) / 100) * 100;
}

/**
 * A synthetic worker's record key, 0 ≤ key < 2^31: its own stream (the worker's other values do not
 * move), deterministic like everything here, so an attack test on a seed gives the same figures in any database.
 */
export function syntheticRecordKey(seed: number, orgNumber: number, index: number): number {
  return mix32((mix32((seed ^ 0x6b657973) >>> 0) + Math.imul(orgNumber, 0x9e3779b9) + mix32(index)) >>> 0) >>> 1;
}

/**
 * Worker `index` of one organisation. `code` is its subject code (the caller draws it from
 * codePermutation, and moves it when someone else's subject already holds it).
 */
export function syntheticWorker(plan: OrgPlan, index: number, code: string): SyntheticWorker {
  const { seed, orgNumber, orgId } = plan;
  const random = sfc32(mix32(seed), orgNumber, index, 0x5eed);
  const subjectId = syntheticId(seed, orgNumber, ID_KIND.subject, index);
  const testimonyId = syntheticId(seed, orgNumber, ID_KIND.testimony, index);

  // Deployment and interview.
  const startYear = pick(random, D.DEPLOYMENT_YEARS);
  const start = monthOf(startYear, 1 + Math.floor(random() * 12));
  const months = between(random, D.DEPLOYMENT_MONTHS.min, D.DEPLOYMENT_MONTHS.max);
  const outcome = pick(random, D.OUTCOMES);
  const end = Math.min(start + months, LAST_MONTH);
  // Still working: interviewed during the deployment (no end yet); otherwise some months after it.
  const interviewMonth = outcome === 'still_working' ? end : Math.min(end + Math.floor(random() * 7), LAST_MONTH);
  const interviewDay = 1 + Math.floor(random() * 28);
  const interviewDate = monthDate(interviewMonth, interviewDay);
  const region = pick(random, D.REGIONS);
  const visaType = pick(random, startYear <= 2019 ? D.VISA_TYPES_BEFORE_BAN : D.VISA_TYPES);

  // Hours: start, length (crossing midnight), days a week, rest days.
  const shiftStart = pick(random, D.SHIFT_STARTS);
  const shiftLength = pick(random, D.SHIFT_HOURS);
  const endMinutes = (Number(shiftStart.slice(0, 2)) * 60 + Number(shiftStart.slice(3, 5)) + shiftLength * 60) % (24 * 60);
  const shiftEnd = `${pad2(Math.floor(endMinutes / 60))}:${pad2(endMinutes % 60)}`;
  const [restMin, restMax] = pick(random, D.REST_DAYS);

  // Pay a month: most taken as a loyalty contribution, the remainder in a ledger, a little in hand.
  const currency = pick(random, D.CURRENCIES);
  const payYear = Math.floor(start / 12);
  let pay: Pick<FactSource, 'payCurrency' | 'wagePaid' | 'loyaltyContribution' | 'ledgerCredit' | 'receivedInHand'>;
  let ledgerPaid: string | null;
  if (random() < D.PAY_UNKNOWN) {
    pay = { payCurrency: null, wagePaid: null, loyaltyContribution: null, ledgerCredit: null, receivedInHand: null };
    ledgerPaid = null;
  } else {
    const wage = between(random, D.WAGE_USD.min, D.WAGE_USD.max, D.WAGE_USD.step);
    const ledger = between(random, D.LEDGER_USD.min, D.LEDGER_USD.max, D.LEDGER_USD.step);
    const inHand = between(random, D.IN_HAND_USD.min, D.IN_HAND_USD.max, D.IN_HAND_USD.step);
    const wagePaid = inCurrency(wage, currency, payYear);
    const ledgerCredit = inCurrency(ledger, currency, payYear);
    const receivedInHand = inCurrency(inHand, currency, payYear);
    pay = { payCurrency: currency, wagePaid, ledgerCredit, receivedInHand, loyaltyContribution: Math.max(0, wagePaid - ledgerCredit - receivedInHand) };
    ledgerPaid = pick(random, D.LEDGER_PAID);
  }

  const sex = pick(random, D.SEXES);
  // Bookkeeping times follow the interview: entered the next day, submitted and approved after.
  const enteredAt = Date.parse(`${interviewDate}T00:00:00Z`) + 86_400_000 + (index % 86_400) * 1000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const testimony: TestimonyRow = {
    id: testimonyId,
    orgId,
    subjectId,
    status: 'approved',
    version: 3, // created, submitted, approved
    enteredBy: plan.caseworkerId,
    interviewerId: plan.caseworkerId,
    interviewDate,
    interviewLanguage: 'ko',
    ageBand: pick(random, D.AGE_BANDS) as FactSource['ageBand'],
    deploymentStart: monthDate(start),
    deploymentEnd: outcome === 'still_working' ? null : monthDate(end),
    region,
    federalDistrict: districtOf(region as RegionCode),
    siteType: pick(random, D.SITE_TYPES) as FactSource['siteType'],
    visaType: visaType as FactSource['visaType'],
    outcome: outcome as FactSource['outcome'],
    shiftStart,
    shiftEnd,
    daysPerWeek: pick(random, D.DAYS_PER_WEEK),
    restDaysPerYear: between(random, restMin, restMax),
    ...pay,
    ledgerPaid,
    housing: pick(random, D.HOUSING) as FactSource['housing'],
    minders: tri(random, D.MINDERS) as FactSource['minders'],
    ideologicalSessions: tri(random, D.IDEOLOGICAL_SESSIONS),
    phonesForbidden: tri(random, D.PHONES_FORBIDDEN) as FactSource['phonesForbidden'],
    createdAt: iso(enteredAt),
    submittedAt: iso(enteredAt + 3_600_000),
    approvedBy: plan.reviewerId,
    approvedAt: iso(enteredAt + 86_400_000),
    updatedAt: iso(enteredAt + 86_400_000),
  };

  const research = random() < D.CONSENT_RESEARCH;
  const publicAggregate = random() < (plan.publicAggregate ?? D.CONSENT_PUBLIC_AGGREGATE);
  const publicQuote = random() < D.CONSENT_PUBLIC_QUOTE;
  const withdrawn = random() < D.CONSENT_WITHDRAWN;
  const consent: ConsentRow = {
    testimonyId,
    orgId,
    internal: true,
    research,
    publicAggregate,
    publicQuote,
    method: pick(random, D.CONSENT_METHODS),
    recordedAt: `${interviewDate}T00:00:00.000Z`,
    recordedBy: plan.caseworkerId,
    withdrawnAt: withdrawn ? iso(enteredAt + 30 * 86_400_000) : null,
  };

  const injuries: InjuryRow[] = [];
  if (random() < D.INJURY_RATE) {
    const count = random() < D.SECOND_INJURY_RATE ? 2 : 1;
    for (let n = 0; n < count; n++) {
      injuries.push({
        id: syntheticId(seed, orgNumber, ID_KIND.injury, index, n),
        testimonyId,
        orgId,
        kind: pick(random, D.INJURY_KINDS),
        severity: pick(random, D.INJURY_SEVERITY),
        month: monthDate(start + Math.floor(random() * (end - start + 1))),
        care: pick(random, D.INJURY_CARE),
        keptWorking: tri(random, D.KEPT_WORKING),
      });
    }
  }

  const indicators: IndicatorRow[] = [];
  for (const key of ILO_INDICATOR_KEYS) {
    if (random() >= D.ILO_ASKED) continue;
    const r = random();
    const yes = D.ILO_YES[key] ?? 0.5;
    const answer = r < yes ? 'yes' : r < yes + (1 - yes) * 0.7 ? 'no' : 'unknown';
    indicators.push({ testimonyId, orgId, indicator: key, answer });
  }

  const consentLoaded = { ...consent, withdrawnAt: consent.withdrawnAt ? new Date(consent.withdrawnAt) : null };
  const children = { sex, recordKey: syntheticRecordKey(seed, orgNumber, index), injuries, indicators };
  const facts = FACT_AUDIENCES.filter((audience) => rowCountsFor(testimony, consentLoaded, audience)).map((audience) => factOf(testimony, children, audience));

  return {
    index,
    subject: { id: subjectId, orgId, code, sex, createdAt: testimony.createdAt, recordKey: children.recordKey },
    testimony,
    consent,
    injuries,
    indicators,
    facts,
  };
}
