import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AggregateAnswer } from '@/lib/aggregates';
import { en } from '@/lib/i18n/en';
import { ko } from '@/lib/i18n/ko';
import { translator, type Locale } from '@/lib/i18n';
import type { SummarySnapshot } from '@/lib/summaries/snapshot';
import { AggregateChart, chartModel } from './aggregate-chart';
import { cellIndex, HIDDEN_CELLS_HELP, hiddenLabel, numberFormat } from './aggregate-present';
import { AnswerTable } from './aggregate-table';
import { SummaryView } from './summary-view';

// Every hidden cell carries one neutral label, "not shown" (비공개), in tables, charts and their notes.
// A cell hidden only to protect a neighbour can hold k workers or more: "fewer than k" on it would be
// a false statement in a publication. These tests fail if any renderer words a hidden cell that way.

const LABEL: Record<Locale, string> = { en: 'not shown', ko: '비공개' };
/** Wording that states a hidden cell's size: "fewer than 10", "under 10", "< 10", "10명 미만". */
const SIZE_CLAIM = /fewer|under\s*\d|<\s*\d|&lt;\s*\d|less than|미만/i;

// Workers by site type at k = 10: logging (3) is small; factory (14) is hidden only so that the total
// minus construction cannot give logging back. Both must read the same.
const bySite: AggregateAnswer = {
  measure: 'workers',
  kind: 'count',
  unit: 'workers',
  by: ['site_type'],
  period: { from: '2023', to: '2025' },
  audience: 'public_aggregate',
  k: 10,
  values: { site_type: ['construction', 'factory', 'logging'] },
  cells: [
    { by: { site_type: 'construction' }, count: 40, value: null },
    { by: { site_type: 'factory' }, suppressed: true },
    { by: { site_type: 'logging' }, suppressed: true },
  ],
  margins: [{ by: {}, count: 57, value: null }],
};

const cross: AggregateAnswer = {
  ...bySite,
  measure: 'ilo_excessive_overtime',
  kind: 'share',
  unit: 'percent',
  by: ['year', 'site_type'],
  values: { year: ['2023', '2024'], site_type: ['construction', 'logging'] },
  cells: [
    { by: { year: '2023', site_type: 'construction' }, suppressed: true },
    { by: { year: '2023', site_type: 'logging' }, suppressed: true },
    { by: { year: '2024', site_type: 'construction' }, count: 22, value: 91 },
    { by: { year: '2024', site_type: 'logging' }, count: 0, value: null },
  ],
  margins: [
    { by: { year: '2023' }, count: 18, value: 83 },
    { by: { year: '2024' }, count: 22, value: 91 },
    { by: { site_type: 'construction' }, suppressed: true },
    { by: { site_type: 'logging' }, suppressed: true },
    { by: {}, count: 40, value: 88 },
  ],
};

const snapshot = (language: Locale): SummarySnapshot => ({
  schema: 1,
  slug: 'conditions',
  language,
  title: 'Conditions',
  body: 'Some *text*.',
  version: 1,
  publishedAt: '2026-01-02T03:04:05.000Z',
  organisation: 'Haven',
  k: 10,
  scope: { from: '2023', to: '2025' },
  sections: [
    { measure: 'workers', by: ['site_type'], chart: 'bars', caption: '', answer: bySite },
    { measure: 'ilo_excessive_overtime', by: ['year', 'site_type'], chart: 'grouped-bars', caption: '', answer: cross },
  ],
  quotes: [],
  sources: [],
  claims: [],
  citation: 'Haven, “Conditions”, version 1.',
});

/** The text inside each element whose opening tag matches `open`, up to its closing `tag`. */
function inner(html: string, open: RegExp, tag: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(new RegExp(open.source, 'g'))) {
    const start = m.index! + m[0].length;
    out.push(html.slice(start, html.indexOf(`</${tag}>`, start)));
  }
  return out;
}
const text = (html: string) => html.replace(/<[^>]*>/g, '').trim();
const hiddenCells = (html: string) => inner(html, /<td[^>]*data-suppressed="true"[^>]*>/, 'td').map(text);
const chartPlaceholders = (html: string) => inner(html, /<g class="chart-suppressed">/, 'g').map((g) => text(g.replace(/<title>.*?<\/title>/, '')));
const svgs = (html: string) => inner(html, /<svg[^>]*>/, 'svg');

describe.each(['en', 'ko'] as const)('hidden cells in %s', (locale) => {
  const t = translator(locale);

  it('have one neutral label in the catalogue', () => {
    expect(hiddenLabel(t)).toBe(LABEL[locale]);
    expect(hiddenLabel(t)).not.toMatch(SIZE_CLAIM);
  });

  it('read "not shown" in a table of one breakdown and in a cross table, margins included', () => {
    for (const answer of [bySite, cross]) {
      const html = renderToStaticMarkup(<AnswerTable answer={answer} t={t} locale={locale} title="T" />);
      const cells = hiddenCells(html);
      expect(cells).toHaveLength([...answer.cells, ...answer.margins].filter((c) => 'suppressed' in c).length);
      for (const c of cells) expect(c).toBe(LABEL[locale]);
    }
  });

  it('are drawn as placeholders labelled "not shown", with nothing in the chart stating a size', () => {
    const num = numberFormat(locale);
    const model = chartModel(bySite, cellIndex(bySite), { value: (_d, v) => v, figure: num, number: num })!;
    const html = renderToStaticMarkup(<AggregateChart model={model} percent={false} texts={{ id: 'c', title: 'Chart', description: t('aggregates.chartDesc', { title: 'T', period: 'P', k: 10 }), suppressed: hiddenLabel(t), formatTick: num }} />);
    expect(chartPlaceholders(html)).toEqual([LABEL[locale], LABEL[locale]]);
    expect(html).not.toMatch(SIZE_CLAIM);
  });

  it('on a summary page: same label in tables and charts, and a note linking to the methodology', () => {
    const html = renderToStaticMarkup(<SummaryView snapshot={snapshot(locale)} locale={locale} />);
    expect(hiddenCells(html)).toHaveLength(2 + 4);
    for (const c of hiddenCells(html)) expect(c).toBe(LABEL[locale]);
    expect(chartPlaceholders(html).length).toBeGreaterThan(0);
    for (const c of chartPlaceholders(html)) expect(c).toBe(LABEL[locale]);
    for (const svg of svgs(html)) expect(svg).not.toMatch(SIZE_CLAIM);
    const notes = inner(html, /<p data-testid="hidden-cells-note">/, 'p');
    expect(notes).toHaveLength(2);
    for (const note of notes) {
      expect(note).toContain(`href="${HIDDEN_CELLS_HELP}"`);
      expect(text(note)).not.toMatch(SIZE_CLAIM);
    }
    expect(HIDDEN_CELLS_HELP).toMatch(/^\/methodology#/);
  });
});

describe('the catalogues', () => {
  // Walks every message: none may quote a size as the label of a hidden cell ("fewer than k", "k명 미만").
  function leaves(o: unknown, path = ''): [string, string][] {
    if (typeof o === 'string') return [[path, o]];
    return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  }
  it.each([
    ['en', en],
    ['ko', ko],
  ])('%s never gives a size in quotes as what a hidden cell reads', (_name, catalogue) => {
    const quoted = leaves(catalogue).filter(([, s]) => /[“"‘']\s*(fewer than|under|<)\s*\{?k?\}?|미만\s*[”"’']/i.test(s));
    expect(quoted).toEqual([]);
  });
  it('explain the one label in the legend, on the methodology page, in both languages', () => {
    expect(en.aggregates.suppressedLegend).toContain('“not shown”');
    expect(ko.aggregates.suppressedLegend).toContain('“비공개”');
    expect(en.methodology.label).toContain('“not shown”');
    expect(ko.methodology.label).toContain('“비공개”');
  });
});
