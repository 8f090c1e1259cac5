import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { AggregateAnswer } from '../aggregates';
import { downloadFilename, etagMatches, SUMMARY_CSV_HEADER, summaryCsv, summaryEtag, summaryJson } from './downloads';
import type { SummarySnapshot } from './snapshot';

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
    { by: { site_type: 'construction' }, count: 14, value: null },
    { by: { site_type: 'factory' }, suppressed: true },
    { by: { site_type: 'logging' }, suppressed: true },
  ],
  margins: [{ by: {}, count: 27, value: null }],
};
const overtime: AggregateAnswer = {
  ...bySite,
  measure: 'ilo_excessive_overtime',
  kind: 'share',
  unit: 'percent',
  by: ['year', 'site_type'],
  values: { year: ['2024'], site_type: ['=cmd|calc'] },
  cells: [{ by: { year: '2024', site_type: '=cmd|calc' }, count: 12, value: 92 }],
  margins: [
    { by: { year: '2024' }, count: 12, value: 92 },
    { by: { site_type: '=cmd|calc' }, count: 12, value: null },
    { by: {}, count: 12, value: 92 },
  ],
};

const snapshot: SummarySnapshot = {
  schema: 1,
  slug: 'conditions',
  language: 'en',
  title: 'Conditions',
  body: 'Text',
  version: 2,
  publishedAt: '2026-01-02T03:04:05.000Z',
  organisation: 'Haven',
  k: 10,
  scope: { from: '2023', to: '2025' },
  sections: [
    { measure: 'workers', by: ['site_type'], chart: 'bars', caption: '', answer: bySite },
    { measure: 'ilo_excessive_overtime', by: ['year', 'site_type'], chart: 'heat-table', caption: '', answer: overtime },
  ],
  quotes: [],
  sources: [],
  claims: [],
  citation: 'Haven, “Conditions”, version 2.',
};

const rows = () => parse(summaryCsv(snapshot), { columns: true }) as Record<string, string>[];

describe('summaryCsv', () => {
  it('has one row per cell and margin of every section, numbered by section', () => {
    const r = rows();
    expect(Object.keys(r[0]!)).toEqual(SUMMARY_CSV_HEADER);
    expect(r).toHaveLength(4 + 4);
    expect(r.filter((x) => x.section === '1')).toHaveLength(4);
    expect(r.filter((x) => x.section === '2')).toHaveLength(4);
  });

  it('gives counts as in the snapshot, and hidden counts as empty with suppressed=true and k', () => {
    const r = rows();
    expect(r[0]).toMatchObject({ measure: 'workers', breakdown_1: 'site_type', value_1: 'construction', count: '14', suppressed: 'false', k: '10', period_from: '2023', period_to: '2025' });
    expect(r[1]).toMatchObject({ value_1: 'factory', count: '', suppressed: 'true', figure: '', k: '10' });
    expect(r[3]).toMatchObject({ value_1: 'All', count: '27', suppressed: 'false' });
    expect(r.filter((x) => x.suppressed === 'true').every((x) => x.count === '' && x.figure === '')).toBe(true);
  });

  it('writes figures with their unit, margins with "All", and no figure as empty', () => {
    const r = rows().filter((x) => x.section === '2');
    expect(r[0]).toMatchObject({ breakdown_1: 'year', value_1: '2024', breakdown_2: 'site_type', count: '12', figure: '92', unit: 'percent' });
    expect(r[1]).toMatchObject({ value_1: '2024', value_2: 'All' });
    expect(r[2]).toMatchObject({ value_1: 'All', figure: '' });
  });

  it('flags every hidden cell the same way, small or hidden to protect a neighbour, and never words its size', () => {
    // factory and logging are both hidden: one may be small, the other only protects it. The file must
    // not tell them apart, nor say "fewer than k" (false for the protecting one), "<10" or "under".
    const hidden = rows().filter((x) => x.suppressed === 'true');
    expect(hidden.map((x) => x.value_1)).toEqual(['factory', 'logging']);
    const shape = (x: Record<string, string>) => ({ ...x, value_1: '' });
    expect(shape(hidden[0]!)).toEqual(shape(hidden[1]!));
    for (const x of rows()) expect(['true', 'false']).toContain(x.suppressed);
    expect(summaryCsv(snapshot)).not.toMatch(/fewer|under|less than|not shown|<|미만/i);
  });

  it('never lets a value start a spreadsheet formula', () => {
    const csv = summaryCsv(snapshot);
    expect(csv).not.toMatch(/(^|,)=cmd/m);
    expect(rows()[4]!.value_2).toBe("'=cmd|calc");
  });
});

describe('summaryJson', () => {
  it('is the canonical snapshot: parses back to it, and its SHA-256 is the one stored at publication', () => {
    const text = summaryJson(snapshot);
    expect(JSON.parse(text)).toEqual(snapshot);
    // Keys sorted at every level, so the same snapshot always gives the same bytes.
    expect(text.indexOf('"body"')).toBeLessThan(text.indexOf('"citation"'));
    expect(summaryJson(JSON.parse(JSON.stringify({ ...snapshot })) as SummarySnapshot)).toBe(text);
    const reordered = Object.fromEntries(Object.entries(snapshot).reverse()) as unknown as SummarySnapshot;
    expect(createHash('sha256').update(summaryJson(reordered)).digest('hex')).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('gives a hidden cell its position and `suppressed: true` only: no count, no figure, no wording of its size', () => {
    const parsed = JSON.parse(summaryJson(snapshot)) as SummarySnapshot;
    const hidden = parsed.sections.flatMap((s) => [...s.answer.cells, ...s.answer.margins]).filter((c) => 'suppressed' in c);
    expect(hidden).toHaveLength(2);
    for (const c of hidden) expect(Object.keys(c).sort()).toEqual(['by', 'suppressed']);
    expect(summaryJson(snapshot)).not.toMatch(/fewer|less than|미만/i);
  });
});

describe('ETags', () => {
  const base = { sha256: 'a'.repeat(64), version: 2, language: 'en', locale: 'en', form: 'html' };
  it('change with the hash, version, interface language, form and retraction', () => {
    const tag = summaryEtag(base);
    expect(tag).toMatch(/^"[0-9a-f]{32}"$/);
    for (const other of [{ sha256: 'b'.repeat(64) }, { version: 3 }, { locale: 'ko' }, { form: 'csv' }, { sha256: null, retractedAt: '2026-01-01T00:00:00Z' }]) {
      expect(summaryEtag({ ...base, ...other })).not.toBe(tag);
    }
    expect(summaryEtag({ ...base })).toBe(tag);
  });
  it('of a page also change with what frames the snapshot: a newer version, the translation link', () => {
    const page = { ...base, latest: 2, translation: null };
    const tag = summaryEtag(page);
    expect(summaryEtag({ ...page, latest: 3 })).not.toBe(tag);
    expect(summaryEtag({ ...page, translation: 'conditions-ko' })).not.toBe(tag);
    // The API answer lists the versions too: ?version=2 must not answer 304 once a version 3 exists.
    const api = { ...page, form: 'api' };
    expect(summaryEtag({ ...api, latest: 3 })).not.toBe(summaryEtag(api));
    // A download is the snapshot alone: the frame does not enter its ETag.
    expect(summaryEtag({ ...page, form: 'csv', latest: 3 })).toBe(summaryEtag({ ...base, form: 'csv' }));
  });
  it('match If-None-Match lists, weak forms and *', () => {
    const tag = summaryEtag(base);
    expect(etagMatches(tag, tag)).toBe(true);
    expect(etagMatches(`"x", W/${tag}`, tag)).toBe(true);
    expect(etagMatches('*', tag)).toBe(true);
    expect(etagMatches('"other"', tag)).toBe(false);
    expect(etagMatches(null, tag)).toBe(false);
  });
  it('file names say the summary and version', () => {
    expect(downloadFilename(snapshot, 'csv')).toBe('conditions-v2.csv');
  });
});
