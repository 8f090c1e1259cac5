import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { ALL } from '../aggregates/csv';
import { canonicalJson } from '../audit/chain';
import { escapeCell } from '../testimonies/csv';
import type { SummarySnapshot } from './snapshot';

// The downloads of a published summary, built from its snapshot only. Pure.

export const SUMMARY_CSV_HEADER = ['section', 'measure', 'breakdown_1', 'value_1', 'breakdown_2', 'value_2', 'count', 'suppressed', 'figure', 'unit', 'k', 'period_from', 'period_to'];

/**
 * Every section's cells, then its margins ("All" for the breakdowns a margin totals over). A hidden
 * count has an empty count and figure and `suppressed` true; k is on every row, so a row read alone
 * still says what "suppressed" means.
 */
export function summaryCsv(snapshot: SummarySnapshot): string {
  const rows: string[][] = [SUMMARY_CSV_HEADER];
  snapshot.sections.forEach((section, i) => {
    const a = section.answer;
    for (const cell of [...a.cells, ...a.margins]) {
      const hidden = 'suppressed' in cell;
      const [d1, d2] = a.by;
      rows.push([
        String(i + 1),
        a.measure,
        d1 ?? '',
        d1 ? (cell.by[d1] ?? ALL) : '',
        d2 ?? '',
        d2 ? (cell.by[d2] ?? ALL) : '',
        hidden ? '' : String(cell.count),
        hidden ? 'true' : 'false',
        hidden || cell.value === null ? '' : String(cell.value),
        a.unit,
        String(a.k),
        snapshot.scope.from,
        snapshot.scope.to,
      ]);
    }
  });
  // Breakdown values come from fixed lists, but none may ever run as a spreadsheet formula.
  return stringify(
    rows.map((r) => r.map(escapeCell)),
    { record_delimiter: '\r\n' },
  );
}

/** The snapshot as stored and hashed at publication: its SHA-256 is the SHA-256 of these bytes. */
export function summaryJson(snapshot: SummarySnapshot): string {
  return canonicalJson(snapshot);
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

export function downloadFilename(snapshot: Pick<SummarySnapshot, 'slug' | 'version'>, ext: 'csv' | 'json'): string {
  return `${snapshot.slug.replace(/[^a-z0-9-]/g, '_')}-v${snapshot.version}.${ext}`;
}

/**
 * The ETag of one representation of a summary: the snapshot's hash, its version and language, the
 * interface language it is shown in (pages only) and the form (html, csv, json, api). A retraction
 * changes it (no hash any more), so a cached copy is never confirmed after a retraction.
 */
export function summaryEtag(p: { sha256: string | null; version: number; language: string; locale?: string; form: string; retractedAt?: string | null; latest?: number; translation?: string | null }): string {
  // A page and the API answer also list the versions and link the translation: they change the ETag
  // too (else ?version=1 would answer 304 with a version list that misses a newer version).
  const frame = p.form === 'html' || p.form === 'api' ? [`latest${p.latest ?? p.version}`, `tr:${p.translation ?? '-'}`] : [];
  const basis = [p.sha256 ?? `retracted:${p.retractedAt ?? ''}`, `v${p.version}`, p.language, p.locale ?? '-', p.form, ...frame].join('|');
  return `"${sha256Hex(basis).slice(0, 32)}"`;
}

/** Does an If-None-Match header name this ETag (weak comparison, `*` included)? */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => strip(t) === strip(etag));
}
