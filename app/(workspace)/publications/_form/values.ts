import type { NewSummaryInput, SummaryContentInput } from '@/lib/summaries/content';

// The summary form as typed: strings and lists, never validated here (lib/summaries/content.ts does
// that). The form round-trips these through its server action, so what was typed survives an error,
// an added or removed section, with or without JavaScript.

export const MAX_SECTIONS = 12;

export interface SectionValues {
  measure: string;
  by0: string;
  by1: string;
  chart: string;
  caption: string;
}

export interface SummaryFormValues {
  slug: string;
  language: string;
  translationOf: string;
  title: string;
  fromYear: string;
  fromQuarter: string;
  toYear: string;
  toQuarter: string;
  districts: string[];
  siteTypes: string[];
  sections: SectionValues[];
  body: string;
  quoteIds: string[];
  sourceIds: string[];
  claimIds: string[];
}

export const EMPTY_SECTION: SectionValues = { measure: 'workers', by0: 'site_type', by1: '', chart: 'bars', caption: '' };

export function emptyValues(language: string): SummaryFormValues {
  const year = String(new Date().getFullYear() - 1);
  return {
    slug: '',
    language,
    translationOf: '',
    title: '',
    fromYear: year,
    fromQuarter: '',
    toYear: year,
    toQuarter: '',
    districts: [],
    siteTypes: [],
    sections: [{ ...EMPTY_SECTION }],
    body: '',
    quoteIds: [],
    sourceIds: [],
    claimIds: [],
  };
}

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};
const list = (form: FormData, name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string' && v !== '');

/** A posted form → its values. Section rows are numbered; gaps (removed rows) close up. */
export function valuesFromForm(form: FormData): SummaryFormValues {
  const rows = new Set<number>();
  for (const name of form.keys()) {
    const m = /^sections\.(\d{1,2})\./.exec(name);
    if (m) rows.add(Number(m[1]));
  }
  const sections = [...rows]
    .sort((a, b) => a - b)
    .slice(0, MAX_SECTIONS)
    .map((i) => ({
      measure: text(form, `sections.${i}.measure`),
      by0: text(form, `sections.${i}.by0`),
      by1: text(form, `sections.${i}.by1`),
      chart: text(form, `sections.${i}.chart`),
      caption: text(form, `sections.${i}.caption`),
    }));
  return {
    slug: text(form, 'slug').trim(),
    language: text(form, 'language'),
    translationOf: text(form, 'translationOf'),
    title: text(form, 'title'),
    fromYear: text(form, 'fromYear'),
    fromQuarter: text(form, 'fromQuarter'),
    toYear: text(form, 'toYear'),
    toQuarter: text(form, 'toQuarter'),
    districts: list(form, 'districts'),
    siteTypes: list(form, 'siteTypes'),
    sections,
    body: text(form, 'body'),
    quoteIds: list(form, 'quoteIds'),
    sourceIds: list(form, 'sourceIds'),
    claimIds: list(form, 'claimIds'),
  };
}

const period = (year: string, quarter: string) => (quarter ? `${year}Q${quarter}` : year);

/** The values as lib's input. None checked means every district / site type (the scope is not limited). */
export function contentOf(v: SummaryFormValues): SummaryContentInput {
  return {
    title: v.title,
    body: v.body,
    scope: {
      from: period(v.fromYear, v.fromQuarter),
      to: period(v.toYear, v.toQuarter),
      ...(v.districts.length ? { districts: v.districts } : {}),
      ...(v.siteTypes.length ? { siteTypes: v.siteTypes } : {}),
    },
    sections: v.sections.map((s) => ({ measure: s.measure, by: [s.by0, s.by1].filter(Boolean), chart: s.chart as 'bars', caption: s.caption })),
    quoteIds: v.quoteIds,
    sourceIds: v.sourceIds,
    claimIds: v.claimIds,
  };
}

export function newSummaryOf(v: SummaryFormValues): NewSummaryInput {
  return { slug: v.slug, language: v.language as 'en', ...(v.translationOf ? { translationOf: v.translationOf } : {}), content: contentOf(v) };
}

const splitPeriod = (p: string) => {
  const m = /^(\d{4})(?:Q([1-4]))?$/.exec(p);
  return m ? { year: m[1]!, quarter: m[2] ?? '' } : { year: '', quarter: '' };
};

/** Stored content (already valid) → form values. */
export function valuesFromContent(content: SummaryContentInput, meta: { slug: string; language: string; translationOf: string }): SummaryFormValues {
  const from = splitPeriod(content.scope.from);
  const to = splitPeriod(content.scope.to);
  return {
    ...meta,
    title: content.title,
    fromYear: from.year,
    fromQuarter: from.quarter,
    toYear: to.year,
    toQuarter: to.quarter,
    districts: content.scope.districts ?? [],
    siteTypes: content.scope.siteTypes ?? [],
    sections: content.sections.map((s) => ({ measure: s.measure, by0: s.by[0] ?? '', by1: s.by[1] ?? '', chart: s.chart ?? 'bars', caption: s.caption ?? '' })),
    body: content.body ?? '',
    quoteIds: content.quoteIds ?? [],
    sourceIds: content.sourceIds ?? [],
    claimIds: content.claimIds ?? [],
  };
}

/**
 * A zod path of lib's input → the name of the form field showing it ("content.scope.from" → "from",
 * "content.sections.0.by" → "sections.0.by").
 */
export function fieldOfPath(path: string): string {
  const p = path.replace(/^content\./, '');
  const scope = /^scope\.(from|to|districts|siteTypes)/.exec(p);
  if (scope) return scope[1]!;
  if (p === 'scope') return 'from';
  const section = /^sections\.(\d+)\.(measure|by|chart|caption)/.exec(p);
  if (section) return `sections.${section[1]}.${section[2]}`;
  const top = /^(slug|language|translationOf|title|body|sections|quoteIds|sourceIds|claimIds)\b/.exec(p);
  return top ? top[1]! : 'form';
}
