import { assertK } from './k';
import { type Cell, isSuppressed } from './suppress';

// Statistics beside counts: only for cells of at least k workers, and rounded so that a published
// figure cannot be matched back to one worker's own answer.

/** Medians and shares only describe a cell of at least k workers (a median of 2 is one worker's value). */
export function statisticsAllowed(count: number, k: number): boolean {
  assertK(k);
  return Number.isInteger(count) && count >= k;
}

/**
 * A share is a count in disguise: part = share × whole, exactly so for whole ≤ 100 at whole percents.
 * So the workers with the attribute and those without must each be 0 or at least k, as for any count.
 */
export function shareAllowed(part: number, whole: number, k: number): boolean {
  const small = (n: number) => n > 0 && n < k;
  return statisticsAllowed(whole, k) && Number.isInteger(part) && part >= 0 && part <= whole && !small(part) && !small(whole - part);
}

/** Whole percent, half up. */
export function roundShare(part: number, whole: number): number {
  if (!(whole > 0) || part < 0 || part > whole) throw new RangeError(`a share needs 0 ≤ part ≤ whole and whole > 0, got ${part}/${whole}`);
  return Math.round((100 * part) / whole);
}

/** Money to the nearest 10 units (USD after conversion). */
export function roundMoney(amount: number): number {
  return Math.round(amount / 10) * 10;
}

/** Hours to the nearest half hour. */
export function roundHours(hours: number): number {
  return Math.round(hours * 2) / 2;
}

export type Statistic =
  | { kind: 'share'; part: number; whole: number }
  | { kind: 'money'; median: number }
  | { kind: 'hours'; median: number }
  | { kind: 'days'; median: number }
  | { kind: 'percent'; median: number };

export type PublishedStatistic = { kind: 'share'; percent: number } | { kind: 'money' | 'hours' | 'days' | 'percent'; median: number };

export type CellWithStatistics = { count: number; statistics: Record<string, PublishedStatistic> } | { suppressed: true };

/**
 * Formats the statistics of one published cell. A suppressed cell gets none (a share or median beside a
 * hidden count can give the count back), nor does a shown cell under k (a zero). Only medians and
 * shares exist here: a minimum or a maximum is one worker's own value, so neither is ever published.
 */
export function withStatistics(cell: Cell, k: number, statistics: Readonly<Record<string, Statistic>>): CellWithStatistics {
  if (isSuppressed(cell)) return cell;
  const published: Record<string, PublishedStatistic> = {};
  if (statisticsAllowed(cell.count, k)) {
    for (const [name, s] of Object.entries(statistics)) {
      if (s.kind === 'share') {
        if (shareAllowed(s.part, s.whole, k)) published[name] = { kind: 'share', percent: roundShare(s.part, s.whole) };
      } else if (s.kind === 'money') published[name] = { kind: 'money', median: roundMoney(s.median) };
      else published[name] = { kind: s.kind, median: s.kind === 'hours' ? roundHours(s.median) : Math.round(s.median) };
    }
  }
  return { count: cell.count, statistics: published };
}
