import 'server-only';
import { federalDistrict, siteType } from '@/db/schema';
import { dimensionsFor, MEASURE_IDS } from '@/lib/aggregates/definitions';
import { CHART_TYPES } from '@/lib/summaries/content';
import type { T } from '@/lib/i18n';

// Labels and choices of the summary form, worked out on the server in the reader's language.

export interface Option {
  value: string;
  label: string;
}
export interface MeasureGroup {
  label: string;
  options: Option[];
}

const GROUPS = [
  ['counts', (id: string) => id === 'workers'],
  ['hours', (id: string) => id.startsWith('hours_') || id === 'rest_days_per_year'],
  ['pay', (id: string) => ['share_withheld', 'loyalty_usd', 'ledger_usd'].includes(id)],
  ['injuries', (id: string) => id.startsWith('injury_')],
  ['indicators', (id: string) => id.startsWith('ilo_')],
  ['conditions', (id: string) => id.startsWith('housing_') || id === 'minders' || id === 'phones_forbidden'],
  ['outcomes', (id: string) => id.startsWith('outcome_')],
] as const;

export function measureLabel(t: T, id: string): string {
  const what = (prefix: string, group: 'indicator' | 'housing' | 'outcome') => t(`enums.${group}.${id.slice(prefix.length)}` as never);
  if (id.startsWith('ilo_')) return t('publications.measures.indicator', { what: what('ilo_', 'indicator') });
  if (id.startsWith('housing_')) return t('publications.measures.housing', { what: what('housing_', 'housing') });
  if (id.startsWith('outcome_')) return t('publications.measures.outcome', { what: what('outcome_', 'outcome') });
  return t(`publications.measures.${id}` as never);
}

/** Measures grouped as readers think of them; any measure no group claims lands in the last group. */
export function measureGroups(t: T): MeasureGroup[] {
  const claimed = new Set<string>();
  const groups = GROUPS.map(([key, test]) => {
    const ids = MEASURE_IDS.filter((id) => test(id));
    ids.forEach((id) => claimed.add(id));
    return { label: t(`publications.measureGroups.${key}`), options: ids.map((id) => ({ value: id, label: measureLabel(t, id) })) };
  });
  const rest = MEASURE_IDS.filter((id) => !claimed.has(id));
  if (rest.length) groups[groups.length - 1]!.options.push(...rest.map((id) => ({ value: id, label: id })));
  return groups;
}

export const dimensionLabel = (t: T, id: string) => t(`publications.dimensions.${id}` as never);
export const districtLabel = (t: T, id: string) => t(`publications.districts.${id}` as never);
export const siteTypeLabel = (t: T, id: string) => (id === 'unknown' ? t('publications.districts.unknown') : t(`enums.siteType.${id}` as never));

/** A breakdown value as readers see it. */
export function valueLabel(t: T, dimension: string, value: string): string {
  if (dimension === 'federal_district') return districtLabel(t, value);
  if (dimension === 'site_type') return siteTypeLabel(t, value);
  if (dimension === 'visa_type') return t(`enums.visaType.${value}` as never);
  if (dimension === 'outcome') return t(`enums.outcome.${value}` as never);
  return value;
}

export function formOptions(t: T) {
  const thisYear = new Date().getFullYear();
  return {
    measures: measureGroups(t),
    dimensions: dimensionsFor('public').map((id) => ({ value: id, label: dimensionLabel(t, id) })),
    charts: CHART_TYPES.map((c) => ({ value: c, label: t(`publications.charts.${c}`) })),
    districts: [...federalDistrict.enumValues].map((d) => ({ value: d, label: districtLabel(t, d) })),
    siteTypes: [...siteType.enumValues, 'unknown'].map((s) => ({ value: s, label: siteTypeLabel(t, s) })),
    years: Array.from({ length: thisYear + 1 - 2000 }, (_, i) => String(thisYear - i)),
    languages: (['en', 'ko'] as const).map((l) => ({ value: l, label: t(`publications.languages.${l}`) })),
  };
}
export type FormOptions = ReturnType<typeof formOptions>;
