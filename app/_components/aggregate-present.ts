import type { Locale, MessageKey, T } from '@/lib/i18n';
import type { AggregateAnswer, OutCell } from '@/lib/aggregates';
import { MEASURES, type DimensionId, type Measure } from '@/lib/aggregates/definitions';
import { regionOf } from '@/lib/testimonies/domain/regions';

// Words and numbers of the dashboard: labels of measures, breakdowns and their values, figures with
// their unit. Presentation only: what is counted and hidden is decided in lib/aggregates.

export type MeasureGroup = 'counts' | 'time' | 'pay' | 'injuries' | 'ilo' | 'housing' | 'control' | 'outcomes';
const GROUP_ORDER: MeasureGroup[] = ['counts', 'time', 'pay', 'injuries', 'ilo', 'housing', 'control', 'outcomes'];

function groupOf(m: Measure): MeasureGroup {
  if (m.kind === 'count') return 'counts';
  if (m.kind === 'median') return m.column === 'hours_per_day' || m.column === 'hours_per_week' || m.column === 'rest_days_per_year' ? 'time' : 'pay';
  const part = m.part;
  if ('flag' in part) return 'injuries';
  if ('ilo' in part) return 'ilo';
  if ('housing' in part) return 'housing';
  if ('tri' in part) return 'control';
  return 'outcomes';
}

/** Every measure, in groups a reader can scan (counts, medians, shares by theme). */
export function measureGroups(): { group: MeasureGroup; ids: string[] }[] {
  const out = new Map<MeasureGroup, string[]>(GROUP_ORDER.map((g) => [g, []]));
  for (const m of MEASURES.values()) out.get(groupOf(m))!.push(m.id);
  return GROUP_ORDER.map((group) => ({ group, ids: out.get(group)! })).filter((g) => g.ids.length > 0);
}

const enumLabel = (t: T, group: string, value: string) => t(`enums.${group}.${value}` as MessageKey);

export function measureLabel(t: T, id: string): string {
  const m = MEASURES.get(id);
  if (!m) return id;
  if (m.kind === 'share') {
    const part = m.part;
    if ('ilo' in part) return t('aggregates.measures.ilo', { name: enumLabel(t, 'indicator', id.slice('ilo_'.length)) });
    if ('housing' in part) return t('aggregates.measures.housing', { name: enumLabel(t, 'housing', part.housing) });
    if ('outcome' in part) return t('aggregates.measures.outcome', { name: enumLabel(t, 'outcome', part.outcome) });
  }
  return t(`aggregates.measures.${id}` as MessageKey);
}

/** What the figure of a measure is taken over, in one sentence. */
export function measureBasis(t: T, id: string, k: number): string {
  const m = MEASURES.get(id);
  if (!m || m.kind === 'count') return t('aggregates.basis.count');
  if (m.kind === 'median') return t('aggregates.basis.median', { k });
  const part = m.part;
  if ('tri' in part || 'ilo' in part) return t('aggregates.basis.shareAnswered');
  if ('housing' in part) return t('aggregates.basis.shareHousing');
  return t('aggregates.basis.shareAll');
}

export const dimensionLabel = (t: T, d: string) => t(`aggregates.dimensions.${d}` as MessageKey);

const ENUM_GROUP: Partial<Record<DimensionId, string>> = {
  federal_district: 'federalDistrict',
  site_type: 'siteType',
  visa_type: 'visaType',
  outcome: 'outcome',
  sex: 'sex',
};

/** A breakdown value as a reader says it: translated enums, region names, "Unknown". */
export function valueLabel(t: T, d: DimensionId, value: string): string {
  if (value === 'unknown') return t('aggregates.unknown');
  const group = ENUM_GROUP[d];
  if (group) return enumLabel(t, group, value);
  if (d === 'region') return value === 'other' ? t('aggregates.otherRegion') : (regionOf(value)?.name ?? value);
  if (d === 'age_band') return t('aggregates.ageBand', { band: value });
  return value;
}

export function numberFormat(locale: Locale) {
  const nf = new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-GB', { maximumFractionDigits: 1 });
  return (n: number) => nf.format(n);
}

/** A figure with its unit: 42%, 11.5 h, 3 days, 250 USD. */
export function figureFormat(t: T, locale: Locale, unit: AggregateAnswer['unit']) {
  const num = numberFormat(locale);
  return (value: number) => {
    if (unit === 'percent') return `${num(value)}%`;
    if (unit === 'hours') return t('aggregates.units.hours', { n: num(value) });
    if (unit === 'days') return t('aggregates.units.days', { n: num(value) });
    if (unit === 'usd') return t('aggregates.units.usd', { n: num(value) });
    return num(value);
  };
}

/**
 * The one label of a hidden cell, in tables, charts and their legends alike. Neutral on purpose: a
 * cell hidden to protect a neighbour may hold k workers or more, so "fewer than k" would be false.
 */
export const hiddenLabel = (t: T) => t('aggregates.hidden');

/** Where a reader learns why cells are hidden (app/methodology/page.tsx gives the section this id). */
export const HIDDEN_CELLS_HELP = '/methodology#suppression';

/** The number a cell shows: the count for the count measure, the figure otherwise; null when there is none. */
export function shownNumber(answer: Pick<AggregateAnswer, 'kind'>, cell: OutCell): number | null {
  if ('suppressed' in cell) return null;
  return answer.kind === 'count' ? cell.count : cell.value;
}

/** Finds the cell or margin with exactly these breakdown values. */
export function cellIndex(answer: AggregateAnswer): (by: Record<string, string>) => OutCell | undefined {
  const key = (by: Record<string, string>) =>
    answer.by
      .map((d) => by[d] ?? '\u0000')
      .join('\u0001');
  const map = new Map<string, OutCell>();
  for (const c of [...answer.cells, ...answer.margins]) map.set(key(c.by), c);
  return (by) => map.get(key(by));
}

/** A period value (2024, 2024Q2) as words. */
export function periodLabel(t: T, period: string): string {
  const m = /^(\d{4})Q([1-4])$/.exec(period);
  return m ? t('aggregates.quarter', { year: m[1]!, q: m[2]! }) : period;
}
