import { isUnreliable, type Credibility, type Reliability } from '../sources/domain/grades';

export interface ComparableClaim {
  id: string;
  valueKind: 'number' | 'range' | 'text';
  valueLow: number | null;
  valueHigh: number | null;
  valueText: string | null;
  unit: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  reliability: Reliability;
  credibility: Credibility;
}

/**
 * - agrees: another source gives a compatible value for the same period;
 * - differs: another source gives a different value for the same period;
 * - alone: no other source speaks of that period;
 * - no-period: the claim names no period, so nothing is compared with it.
 */
export type Agreement = 'agrees' | 'differs' | 'alone' | 'no-period';

export const periodKey = (c: Pick<ComparableClaim, 'periodStart' | 'periodEnd'>) =>
  c.periodStart || c.periodEnd ? `${c.periodStart ?? ''}..${c.periodEnd ?? ''}` : null;

const normUnit = (u: string | null) => (u ?? '').trim().toLowerCase();

/** Two values agree when they are the same text, or their numbers (a number is a one-point range) overlap, in the same unit. */
export function valuesAgree(a: ComparableClaim, b: ComparableClaim): boolean {
  if (normUnit(a.unit) !== normUnit(b.unit)) return false;
  if (a.valueKind === 'text' || b.valueKind === 'text') {
    return a.valueKind === b.valueKind && (a.valueText ?? '').trim().toLowerCase() === (b.valueText ?? '').trim().toLowerCase();
  }
  const lo = (c: ComparableClaim) => c.valueLow ?? Number.NEGATIVE_INFINITY;
  const hi = (c: ComparableClaim) => (c.valueKind === 'range' ? (c.valueHigh ?? Number.POSITIVE_INFINITY) : (c.valueLow ?? Number.POSITIVE_INFINITY));
  return lo(a) <= hi(b) && lo(b) <= hi(a);
}

export interface Compared<C extends ComparableClaim> {
  claim: C;
  agreement: Agreement;
  unreliable: boolean;
}

/** Each claim of one question, marked against the other sources' claims for the same period. */
export function compareClaims<C extends ComparableClaim>(claims: C[]): Compared<C>[] {
  return claims.map((c) => {
    const unreliable = isUnreliable(c.reliability, c.credibility);
    const key = periodKey(c);
    if (!key) return { claim: c, agreement: 'no-period', unreliable };
    const others = claims.filter((o) => o.id !== c.id && periodKey(o) === key);
    if (others.length === 0) return { claim: c, agreement: 'alone', unreliable };
    return { claim: c, agreement: others.every((o) => valuesAgree(c, o)) ? 'agrees' : 'differs', unreliable };
  });
}

/** "13,221", "12,000–15,000" or the text, for display. */
export function formatValue(c: Pick<ComparableClaim, 'valueKind' | 'valueLow' | 'valueHigh' | 'valueText'>, locale = 'en'): string {
  const n = (v: number | null) => (v == null ? '?' : v.toLocaleString(locale));
  if (c.valueKind === 'text') return c.valueText ?? '';
  if (c.valueKind === 'range') return `${n(c.valueLow)}–${n(c.valueHigh)}`;
  return n(c.valueLow);
}
