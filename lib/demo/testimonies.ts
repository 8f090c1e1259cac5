import 'server-only';
import type { Actor } from '../access';
import { approveTestimony, createTestimony, submitTestimony } from '../testimonies';
import type { NewTestimonyInput } from '../testimonies/input';

// Demo testimonies: synthetic, built from the kinds of facts the shared reports describe (long
// shifts across midnight, a handful of rest days, pay withheld or written in a ledger, containers
// and unfinished buildings, minders, student visas, falls without care), in our own words.

/** A small deterministic generator, so every demo looks the same. */
function generator(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  return { next, pick };
}

const REGIONS = ['primorsky-krai', 'primorsky-krai', 'khabarovsk-krai', 'amur-oblast', 'moscow', 'moscow-oblast', 'saint-petersburg', 'sakhalin-oblast', 'kursk-oblast'] as const;
const SHIFTS = [
  ['06:00', '02:00'],
  ['06:00', '00:00'],
  ['07:00', '23:00'],
  ['05:30', '01:30'],
] as const;
const NARRATIVES = [
  'Built the frame of an apartment block; the team kept working after the floodlights went out.',
  'Slept in a metal container beside the site; a supervisor from home checked on the group every evening.',
  'Was told the pay would be kept in a book and handed over back home; never saw a statement.',
  'Fell from scaffolding and was told to rest in the dormitory instead of seeing a doctor.',
  'Weekly meetings required everyone to praise the leadership and criticise themselves.',
  'Bought a second-hand phone with cigarette money and kept it hidden under a floorboard.',
];

export function demoTestimony(i: number, orgSalt: number): NewTestimonyInput {
  const r = generator(i * 7919 + orgSalt);
  const [shiftStart, shiftEnd] = r.pick(SHIFTS);
  const wage = 600 + Math.round(r.next() * 8) * 50;
  const ledger = 100 + Math.round(r.next() * 10) * 10;
  const loyalty = Math.min(wage - ledger, Math.round(wage * (0.6 + r.next() * 0.25)));
  const year = r.pick([2023, 2024, 2024, 2025]);
  const injured = r.next() < 0.35;
  return {
    interviewDate: `2025-${String(1 + Math.floor(r.next() * 9)).padStart(2, '0')}-${String(1 + Math.floor(r.next() * 27)).padStart(2, '0')}`,
    interviewLanguage: 'ko',
    ageBand: r.pick(['25-34', '35-44', '35-44', '45-54']),
    subject: { sex: 'male' },
    deployment: {
      start: `${year}-${String(1 + Math.floor(r.next() * 12)).padStart(2, '0')}`,
      region: r.pick(REGIONS),
      siteType: r.pick(['construction', 'construction', 'construction', 'factory', 'logging', 'fishing']),
      visaType: r.pick(['student', 'student', 'trainee', 'work', 'unknown']),
      outcome: r.pick(['escaped', 'still_working', 'returned', 'unknown']),
    },
    hours: { shiftStart, shiftEnd, daysPerWeek: r.pick([6.5, 7, 7]), restDaysPerYear: r.pick([2, 2, 3, 4, 12]) },
    pay: { currency: 'USD', wagePaid: wage, loyaltyContribution: loyalty, ledgerCredit: ledger, receivedInHand: 0, ledgerPaid: r.pick(['no', 'no', 'unknown']) },
    conditions: {
      housing: r.pick(['shipping_container', 'shipping_container', 'unfinished_building', 'dormitory']),
      minders: 'yes',
      ideologicalSessions: r.pick(['yes', 'yes', 'unknown']),
      phonesForbidden: r.pick(['yes', 'yes', 'no']),
    },
    injuries: injured ? [{ kind: r.pick(['fall', 'crush', 'cut']), severity: r.pick(['serious', 'minor', 'permanent']), care: r.pick(['denied', 'delayed', 'received']), keptWorking: r.pick(['yes', 'no']) }] : [],
    indicators: {
      excessive_overtime: { answer: 'yes' },
      withholding_of_wages: { answer: 'yes' },
      isolation: { answer: r.pick(['yes', 'unknown']) },
      restriction_of_movement: { answer: 'yes' },
      retention_of_identity_documents: { answer: r.pick(['yes', 'unknown', 'no']) },
    },
    narrative: r.pick(NARRATIVES),
    consent: { scopes: r.next() < 0.85 ? ['internal', 'research', 'public_aggregate'] : ['internal', 'research'], method: r.pick(['oral', 'oral', 'written']) },
  };
}

/** Records `count` demo testimonies: most approved (entered by the caseworker, approved by the reviewer), a few still in review. */
export async function seedDemoTestimonies(caseworker: Actor, reviewer: Actor, count: number, orgSalt: number) {
  for (let i = 0; i < count; i++) {
    const { id } = await createTestimony(caseworker, demoTestimony(i, orgSalt));
    if (i % 8 === 7) continue; // a few drafts
    await submitTestimony(caseworker, id);
    if (i % 8 === 6) continue; // a few waiting for review
    await approveTestimony(reviewer, id);
  }
}
