import type { Box } from '../disclosure/audit';
import { DIMENSIONS, type DimensionId } from '../aggregates/definitions';
import { Conflict, problem } from '../errors';
import { en, type Messages } from '../i18n/en';
import type { RecordFinding } from './record-audit';

// A publication the whole-record audit refuses: each finding worded in the reader's language,
// naming the cell and the published versions it combines with.

const fill = (s: string, vars: Record<string, string | number>) => Object.entries(vars).reduce((out, [k, v]) => out.replaceAll(`{${k}}`, String(v)), s);

const ENUMS: Partial<Record<string, keyof Messages['enums']>> = { federal_district: 'federalDistrict', site_type: 'siteType', visa_type: 'visaType', outcome: 'outcome' };

function valueLabel(m: Messages, dim: string, value: string): string {
  const group = ENUMS[dim];
  const labels = group ? (m.enums[group] as Record<string, string>) : undefined;
  return labels?.[value] ?? (value === 'unknown' ? m.aggregates.unknown : value);
}

/** "2023", "2023, 2024" or "2023Q1–2023Q2": whole years by their number. */
function periodLabel(quarters: readonly string[]): string {
  const sorted = [...quarters].sort();
  const years = [...new Set(sorted.map((q) => q.slice(0, 4)))];
  if (years.every((y) => [1, 2, 3, 4].every((n) => sorted.includes(`${y}Q${n}`)))) return years.join(', ');
  const runs: string[][] = [];
  for (const q of sorted) {
    const last = runs.at(-1);
    const prev = last?.at(-1);
    const next = prev && (prev.endsWith('Q4') ? `${Number(prev.slice(0, 4)) + 1}Q1` : `${prev.slice(0, 5)}${Number(prev.slice(5)) + 1}`);
    if (last && next === q) last.push(q);
    else runs.push([q]);
  }
  return runs.map((r) => (r.length === 1 ? r[0] : `${r[0]}–${r.at(-1)}`)).join(', ');
}

/** Where the workers of a box are: every dimension it narrows, in the reader's words. */
export function whereText(m: Messages, box: Box): string {
  const parts: string[] = [];
  for (const dim of ['site_type', 'federal_district', 'visa_type', 'outcome', 'quarter']) {
    const values = box[dim];
    if (!values?.length) continue;
    if (dim === 'quarter') {
      parts.push(`${m.publications.audit.period}: ${periodLabel(values)}`);
      continue;
    }
    const all = DIMENSIONS[dim as DimensionId]?.values ?? [];
    if (all.length && all.every((v) => values.includes(v))) continue; // not narrowed
    const label = m.aggregates.dimensions[dim as keyof Messages['aggregates']['dimensions']];
    const left = all.filter((v) => !values.includes(v));
    // "all except Far Eastern" reads better than seven names.
    const named = all.length && left.length < values.length ? fill(m.publications.audit.allExcept, { values: left.map((v) => valueLabel(m, dim, v)).join(', ') }) : values.map((v) => valueLabel(m, dim, v)).join(', ');
    parts.push(`${label}: ${named}`);
  }
  return parts.join('; ');
}

export function findingText(m: Messages, f: RecordFinding, k: number): string {
  const a = m.publications.audit;
  const where = whereText(m, f.box);
  // A change is said as a number of workers who came or left, whichever way it went.
  const [low, high] = f.kind === 'change' && f.high < 0 ? [-f.high, -f.low] : [f.low, f.high];
  const n = low === high ? String(low) : fill(a.between, { low, high });
  const others = f.withLabels.join(', ');
  const attribute = f.attribute ? (m.aggregates.measures as Record<string, string>)[f.attribute.replace(/^not /, '')] ?? f.attribute : '';
  const vars = { n, k, where, with: others, attribute };
  if (f.kind === 'change') return fill(f.attribute ? a.changeAttribute : a.change, vars);
  const sentence = fill(f.kind === 'attribute' ? (f.attribute?.startsWith('not ') ? a.withoutAttribute : a.attribute) : a.count, vars);
  return others ? fill(a.combined, { with: others, sentence }) : sentence;
}

export class PublicationRefused extends Conflict {
  constructor(
    readonly findings: RecordFinding[],
    readonly k: number,
  ) {
    const texts = findings.map((f) => findingText(en, f, k));
    super(
      problem('publicationAudit', { k, findings: `${texts.slice(0, 5).join(' ')}${texts.length > 5 ? ` (+${texts.length - 5})` : ''}` }),
      texts.map((message, i) => ({ path: `findings.${i}`, message })),
    );
  }
}
