import { z } from 'zod';

export const CURRENCIES = ['USD', 'RUB', 'KPW', 'EUR', 'OTHER'] as const;
export type Currency = (typeof CURRENCIES)[number];
export const Currency = z.enum(CURRENCIES);

/** A monthly amount as the worker reported it: not negative, or null when not known. */
export const PayAmount = z.number().finite().nonnegative().nullable();

export type PayInput = {
  wagePaid: number | null;
  loyaltyContribution: number | null;
  ledgerCredit: number | null;
  receivedInHand: number | null;
};

export const PAY_ISSUES = ['negative_amount', 'parts_without_wage', 'parts_exceed_wage', 'withheld_exceeds_wage'] as const;
export type PayIssue = (typeof PAY_ISSUES)[number];

export type PayBreakdown = {
  /** (loyalty contribution + ledger credit) / wage, in [0, 1]; null when unknown or the figures disagree. */
  shareWithheld: number | null;
  inconsistent: boolean;
  issues: PayIssue[];
};

// Workers recall monthly figures from memory and in round numbers, so a small overshoot is not a contradiction.
const TOLERANCE_SHARE = 0.02;
const TOLERANCE_MIN_UNITS = 1;

/** How far the parts may exceed the wage before they contradict it: 2% of the wage or 1 unit, whichever is larger. */
export function payTolerance(wagePaid: number): number {
  return Math.max(wagePaid * TOLERANCE_SHARE, TOLERANCE_MIN_UNITS);
}

export function payBreakdown({ wagePaid, loyaltyContribution, ledgerCredit, receivedInHand }: PayInput): PayBreakdown {
  const parts = [loyaltyContribution, ledgerCredit, receivedInHand];
  const issues: PayIssue[] = [];
  if ([wagePaid, ...parts].some((amount) => amount != null && amount < 0)) issues.push('negative_amount');

  const withheldKnown = loyaltyContribution != null || ledgerCredit != null;
  // A part left blank counts as nothing taken: the caseworker records what the worker said was taken.
  const withheld = (loyaltyContribution ?? 0) + (ledgerCredit ?? 0);
  const partsSum = withheld + (receivedInHand ?? 0);

  if (wagePaid == null) {
    if (parts.some((amount) => amount != null)) issues.push('parts_without_wage');
  } else {
    const ceiling = wagePaid + payTolerance(wagePaid);
    if (partsSum > ceiling) issues.push('parts_exceed_wage');
    if (withheld > ceiling) issues.push('withheld_exceeds_wage');
  }

  const inconsistent = issues.length > 0;
  const shareWithheld =
    inconsistent || wagePaid == null || wagePaid <= 0 || !withheldKnown ? null : Math.min(1, withheld / wagePaid);
  return { shareWithheld, inconsistent, issues };
}

type ConvertedCurrency = Exclude<Currency, 'USD' | 'OTHER'>;
type YearRates = Readonly<Record<ConvertedCurrency, number>>;

/**
 * Units of each currency per US dollar, annual averages rounded.
 * RUB and EUR: annual averages of the official rates published by the Bank of Russia and the
 * European Central Bank, rounded to 3 significant digits.
 * KPW: the North Korean market (jangmadang) rate reported by Daily NK and Asia Press, averaged over
 * the year; rounded to the hundred, and to the thousand from 2024 when the won lost more than half
 * its value within a year. The official rate (about 100 KPW/USD) is not what workers are paid at.
 * 2026 is provisional (year to date) and must be revised when the year closes.
 */
export const USD_RATES = {
  2017: { RUB: 58.3, EUR: 0.887, KPW: 8_100 },
  2018: { RUB: 62.7, EUR: 0.847, KPW: 8_100 },
  2019: { RUB: 64.7, EUR: 0.893, KPW: 8_200 },
  2020: { RUB: 72.1, EUR: 0.877, KPW: 7_500 },
  2021: { RUB: 73.7, EUR: 0.846, KPW: 5_500 },
  2022: { RUB: 68.5, EUR: 0.951, KPW: 5_800 },
  2023: { RUB: 85.2, EUR: 0.925, KPW: 8_300 },
  2024: { RUB: 92.6, EUR: 0.924, KPW: 13_000 },
  2025: { RUB: 83.7, EUR: 0.885, KPW: 30_000 },
  2026: { RUB: 80.0, EUR: 0.86, KPW: 40_000 },
} satisfies Record<number, YearRates>;

export const RATE_YEARS = Object.keys(USD_RATES).map(Number);

/**
 * Published observations of the KPW market rate the table's yearly figures must stay between (a year's
 * average lies between its lowest and highest reported rate), from Daily NK's regular market-price
 * surveys as retold by other outlets: generally about 8,000 won a dollar from early 2013 until the won
 * began to strengthen (GenPI); 8,300 in a Pyongyang market on 7 January 2024 and 18,100 on 10 November
 * 2024, the year's high, its high and low 7,900 apart (The Press United). The years 2020–2023 and 2025–
 * 2026 have no observation here yet. Checked by pay.test.ts; add one when a year's figure is revised.
 */
export const KPW_OBSERVED: readonly { year: number; low: number; high: number; source: string }[] = [
  { year: 2017, low: 7_500, high: 8_500, source: 'Daily NK (via GenPI): about 8,000 from early 2013' },
  { year: 2018, low: 7_500, high: 8_500, source: 'Daily NK (via GenPI): about 8,000 from early 2013' },
  { year: 2019, low: 7_500, high: 8_500, source: 'Daily NK (via GenPI): about 8,000 from early 2013' },
  { year: 2024, low: 8_300, high: 18_100, source: 'Daily NK (via The Press United): 8,300 on 7 January, 18,100 on 10 November 2024' },
];

/** An amount in US dollars at the year's average rate; null for OTHER or a year the table lacks (USD too, so every currency covers the same years). */
export function toUsd(amount: number, currency: Currency, year: number): number | null {
  if (currency === 'OTHER') return null;
  const rates = (USD_RATES as Partial<Record<number, YearRates>>)[year];
  if (!rates) return null;
  if (currency === 'USD') return amount;
  return amount / rates[currency];
}
