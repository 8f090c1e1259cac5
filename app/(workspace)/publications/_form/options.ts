import 'server-only';
import { federalDistrict, siteType } from '@/db/schema';
import { dimensionsFor, type DimensionId } from '@/lib/aggregates/definitions';
import { CHART_TYPES } from '@/lib/summaries/content';
import type { MessageKey, T } from '@/lib/i18n';
import { dimensionLabel, measureGroups, measureLabel, valueLabel } from '@/app/_components/aggregate-present';

// Choices of the summary form, worked out on the server in the reader's language. The labels of
// measures, breakdowns and their values are the researcher dashboard's (one wording everywhere).

export interface Option {
  value: string;
  label: string;
}
export interface MeasureGroup {
  label: string;
  options: Option[];
}

export { dimensionLabel, measureLabel, valueLabel };

export function formOptions(t: T) {
  const thisYear = new Date().getFullYear();
  const label = (d: DimensionId, v: string) => valueLabel(t, d, v);
  return {
    measures: measureGroups().map(({ group, ids }): MeasureGroup => ({
      label: t(`aggregates.groups.${group}` as MessageKey),
      options: ids.map((id) => ({ value: id, label: measureLabel(t, id) })),
    })),
    dimensions: dimensionsFor('public').map((id) => ({ value: id, label: dimensionLabel(t, id) })),
    charts: CHART_TYPES.map((c) => ({ value: c, label: t(`publications.charts.${c}`) })),
    districts: [...federalDistrict.enumValues].map((d) => ({ value: d, label: label('federal_district', d) })),
    siteTypes: [...siteType.enumValues, 'unknown'].map((s) => ({ value: s, label: label('site_type', s) })),
    years: Array.from({ length: thisYear + 1 - 2000 }, (_, i) => String(thisYear - i)),
    languages: (['en', 'ko'] as const).map((l) => ({ value: l, label: t(`publications.languages.${l}`) })),
  };
}
export type FormOptions = ReturnType<typeof formOptions>;
