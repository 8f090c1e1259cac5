import type { z } from 'zod';
import { wordingOf, type Wording } from '../i18n/issues';
import { problem, type ProblemKey } from '../problem';
import { ILO_INDICATOR_KEYS, type IloIndicator } from './domain/indicators';
import { NewTestimony, type NewTestimonyInput } from './input';

// The CSV form of a testimony: one flat column per field of NewTestimony, so a row is validated
// by the same zod schema as the form and the API. Pure: no database, no crypto.

/** A problem of one cell or row: English `message`, and how to word it in the reader's language. */
export interface CsvIssue extends Wording {
  line: number;
  column: string;
  message: string;
}

/** An issue worded from the `problems` catalogue. */
export function csvIssue(line: number, column: string, key: ProblemKey, vars?: Record<string, string | number>): CsvIssue {
  const p = problem(key, vars);
  return { line, column, message: p.text, key, ...(vars ? { vars } : {}) };
}

type Kind = 'text' | 'number' | 'scopes' | 'ref';

export interface CsvColumn {
  name: string;
  /** Where the value goes in NewTestimony input. */
  path: readonly (string | number)[];
  kind: Kind;
  /** The header must name it (the schema requires the value). */
  required?: boolean;
  help: string;
}

const col = (name: string, path: readonly (string | number)[], help: string, kind: Kind = 'text', required = false): CsvColumn => ({
  name,
  path,
  kind,
  required,
  help,
});

export const MAX_CSV_INJURIES = 3;

const injuryColumns = Array.from({ length: MAX_CSV_INJURIES }, (_, n) => {
  const p = `injury${n + 1}`;
  return [
    col(`${p}_kind`, ['injuries', n, 'kind'], `Injury ${n + 1}: what happened (fall, crush, burn, …)`),
    col(`${p}_severity`, ['injuries', n, 'severity'], 'minor, serious, permanent or fatal'),
    col(`${p}_month`, ['injuries', n, 'month'], 'YYYY-MM'),
    col(`${p}_care`, ['injuries', n, 'care'], 'received, delayed, denied or none_needed'),
    col(`${p}_kept_working`, ['injuries', n, 'keptWorking'], 'made to keep working: yes, no or unknown'),
  ];
}).flat();

/** Every column, in file order. README and the import page list them from here. */
export const CSV_COLUMNS: readonly CsvColumn[] = [
  col('subject_code', ['subjectCode'], 'An existing subject of your organisation (W-XXXXXX); empty creates a new subject with a generated code'),
  col(
    'subject_ref',
    ['subjectRef'],
    'Optional, with subject_code empty: rows with the same label (e.g. 1, 2, A; never a name) are one new worker. Only used while importing; not stored',
    'ref',
  ),
  col('interview_date', ['interviewDate'], 'YYYY-MM-DD'),
  col('interview_language', ['interviewLanguage'], 'e.g. ko, ru, en'),
  col('age_band', ['ageBand'], '18-24, 25-34, 35-44, 45-54 or 55+'),
  col('sex', ['subject', 'sex'], 'female, male or unknown (used only for a new subject)'),
  col('deployment_start', ['deployment', 'start'], 'YYYY-MM'),
  col('deployment_end', ['deployment', 'end'], 'YYYY-MM'),
  col('region', ['deployment', 'region'], 'federal subject code, e.g. primorsky-krai, or other'),
  col('site_type', ['deployment', 'siteType'], 'construction, factory, logging, agriculture, fishing, services or other'),
  col('visa_type', ['deployment', 'visaType'], 'work, student, trainee, tourist, none or unknown'),
  col('outcome', ['deployment', 'outcome'], 'still_working, returned, escaped, transferred or unknown'),
  col('shift_start', ['hours', 'shiftStart'], 'HH:MM, 24-hour clock'),
  col('shift_end', ['hours', 'shiftEnd'], 'HH:MM; may be past midnight'),
  col('days_per_week', ['hours', 'daysPerWeek'], '0 to 7, halves allowed', 'number'),
  col('rest_days_per_year', ['hours', 'restDaysPerYear'], '0 to 366', 'number'),
  col('pay_currency', ['pay', 'currency'], 'USD, RUB, KPW, EUR or OTHER'),
  col('wage_paid', ['pay', 'wagePaid'], 'a month, by the employer', 'number'),
  col('loyalty_contribution', ['pay', 'loyaltyContribution'], 'a month, taken by the state', 'number'),
  col('ledger_credit', ['pay', 'ledgerCredit'], 'a month, credited to be paid on return', 'number'),
  col('received_in_hand', ['pay', 'receivedInHand'], 'a month', 'number'),
  col('ledger_paid', ['pay', 'ledgerPaid'], 'yes, partly, no or unknown'),
  col('housing', ['conditions', 'housing'], 'shipping_container, unfinished_building, dormitory or other'),
  col('minders', ['conditions', 'minders'], 'yes, no or unknown'),
  col('ideological_sessions', ['conditions', 'ideologicalSessions'], 'yes, no or unknown'),
  col('phones_forbidden', ['conditions', 'phonesForbidden'], 'yes, no or unknown'),
  col('consent_scopes', ['consent', 'scopes'], 'separated by ";": internal, research, public_aggregate, public_quote', 'scopes', true),
  col('consent_method', ['consent', 'method'], 'oral, written or intermediary', 'text', true),
  col('consent_recorded_at', ['consent', 'recordedAt'], 'ISO date-time with offset, e.g. 2025-03-14T10:00:00Z; empty: the time of import'),
  ...ILO_INDICATOR_KEYS.map((key) => col(`ilo_${key}`, ['indicators', key, 'answer'], `ILO indicator ${key.replaceAll('_', ' ')}: yes, no or unknown`)),
  ...injuryColumns,
  col('narrative', ['narrative'], 'the account; encrypted when stored, never exported'),
  col('interviewer_notes', ['interviewerNotes'], 'encrypted when stored, never exported'),
];

export const CSV_HEADER = CSV_COLUMNS.map((c) => c.name);
const BY_NAME = new Map(CSV_COLUMNS.map((c, i) => [c.name, { column: c, index: i }]));
const BY_PATH = new Map(CSV_COLUMNS.map((c) => [c.path.join('.'), c.name]));

/** Columns the export writes: the import's without narrative, notes and the import-only subject_ref, after the record's id and status. */
export const EXPORT_HEADER = ['testimony_id', 'status', ...CSV_HEADER.filter((n) => n !== 'narrative' && n !== 'interviewer_notes' && n !== 'subject_ref'), 'injury_count'];

export interface Header {
  /** For each CSV position, the index into CSV_COLUMNS. */
  positions: number[];
}

/** Checks a header row: unknown, repeated and missing required columns are issues on line 1. */
export function readHeader(cells: string[], line = 1): { header?: Header; issues: CsvIssue[] } {
  const issues: CsvIssue[] = [];
  const positions: number[] = [];
  const seen = new Set<string>();
  cells.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    const known = BY_NAME.get(name);
    if (!known) {
      issues.push(csvIssue(line, raw || `#${i + 1}`, 'csvUnknownColumn', { name: raw }));
    } else if (seen.has(name)) {
      issues.push(csvIssue(line, name, 'csvColumnTwice'));
    } else {
      seen.add(name);
      positions.push(known.index);
    }
  });
  for (const c of CSV_COLUMNS) {
    if (c.required && !seen.has(c.name)) issues.push(csvIssue(line, c.name, 'csvColumnMissing'));
  }
  return issues.length ? { issues } : { header: { positions }, issues };
}

// A value the export protected against formula injection comes back as it was.
const unescapeCell = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

function cellValue(kind: Kind, raw: string): unknown {
  if (kind === 'number') {
    const n = Number(raw);
    // Leave text that is not a number as text: the schema then names the column.
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  if (kind === 'scopes') {
    return raw
      .split(/[;,]/)
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return raw;
}

function setPath(target: Record<string, unknown>, path: readonly (string | number)[], value: unknown) {
  let at: Record<string, unknown> = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = String(path[i]);
    at[key] ??= typeof path[i + 1] === 'number' ? [] : {};
    at = at[key] as Record<string, unknown>;
  }
  at[String(path[path.length - 1])] = value;
}

export interface MappedRow {
  input: NewTestimonyInput;
  /** subject_ref: the file's own label for a new worker (not part of the record). */
  ref?: string;
  /** Position in `input.injuries` → injury number in the file (1-based), to name columns in errors. */
  injurySlots: number[];
}

/** A row's cells → NewTestimony input. Empty cells are absent values. */
export function rowToInput(header: Header, cells: string[]): MappedRow {
  const input: Record<string, unknown> = {};
  const injuries: Record<string, unknown>[] = [];
  let ref: string | undefined;
  header.positions.forEach((columnIndex, i) => {
    const raw = unescapeCell((cells[i] ?? '').trim());
    if (raw === '') return;
    const column = CSV_COLUMNS[columnIndex]!;
    const value = cellValue(column.kind, raw);
    if (column.kind === 'ref') {
      ref = raw;
    } else if (column.path[0] === 'injuries') {
      const slot = column.path[1] as number;
      injuries[slot] ??= {};
      injuries[slot][column.path[2] as string] = value;
    } else {
      setPath(input, column.path, value);
    }
  });
  const injurySlots: number[] = [];
  const list: Record<string, unknown>[] = [];
  injuries.forEach((injury, slot) => {
    if (!injury) return;
    injurySlots.push(slot + 1);
    list.push(injury);
  });
  if (list.length) input.injuries = list;
  return { input: input as NewTestimonyInput, injurySlots, ref };
}

/** The CSV column a zod issue path points at (injury positions renumbered to the file's slots). */
export function columnOfPath(path: readonly PropertyKey[], injurySlots: number[] = []): string {
  const parts = path.map((p) => (typeof p === 'symbol' ? '' : p));
  if (parts[0] === 'injuries' && typeof parts[1] === 'number') {
    const slot = injurySlots[parts[1]] ?? parts[1] + 1;
    const field = parts[2];
    const name = CSV_COLUMNS.find((c) => c.path[0] === 'injuries' && c.path[1] === slot - 1 && c.path[2] === field)?.name;
    return name ?? `injury${slot}_kind`;
  }
  // An indicator's answer; a consent scope (consent.scopes.1) belongs to consent_scopes.
  for (let len = parts.length; len > 0; len--) {
    const name = BY_PATH.get(parts.slice(0, len).join('.'));
    if (name) return name;
  }
  if (parts[0] === 'indicators' && typeof parts[1] === 'string') return `ilo_${parts[1]}`;
  return parts.join('.') || 'row';
}

export function issuesOf(error: z.ZodError, line: number, injurySlots: number[] = []): CsvIssue[] {
  return error.issues.map((i) => ({ line, column: columnOfPath(i.path, injurySlots), message: i.message, ...wordingOf(i) }));
}

export type ValidatedRow = z.output<typeof NewTestimony>;

const SubjectRef = /^[\p{L}\p{N} ._-]{1,40}$/u;

/** One data row: validated input, or its issues named by line and column. */
export function validateRow(
  header: Header,
  cells: string[],
  line: number,
): { value: ValidatedRow; ref?: string; issues?: undefined } | { value?: undefined; ref?: undefined; issues: CsvIssue[] } {
  if (cells.length !== header.positions.length) {
    return { issues: [csvIssue(line, 'row', 'csvCellCount', { expected: header.positions.length, found: cells.length })] };
  }
  const { input, injurySlots, ref } = rowToInput(header, cells);
  const parsed = NewTestimony.safeParse(input);
  const issues = parsed.success ? [] : issuesOf(parsed.error, line, injurySlots);
  if (ref !== undefined && !SubjectRef.test(ref)) issues.push(csvIssue(line, 'subject_ref', 'csvRefFormat'));
  if (ref !== undefined && input.subjectCode) issues.push(csvIssue(line, 'subject_ref', 'csvRefAndCode'));
  if (!parsed.success || issues.length) return { issues };
  if (parsed.data.injuries.length > MAX_CSV_INJURIES) return { issues: [csvIssue(line, 'injury1_kind', 'csvTooManyInjuries')] };
  return { value: parsed.data, ref: ref?.toLowerCase() };
}


/** "line 17, column wage_paid": the path of an issue in the API's error shape. */
export const issuePath = (i: CsvIssue) => `line ${i.line}, column ${i.column}`;

/**
 * Against formula injection: a spreadsheet runs a cell that starts with = + - @ (or a tab or
 * carriage return before them), so such a cell gets a leading single quote.
 */
export function escapeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The import template's example: the long-form source's typical account, in our own words. */
export const TEMPLATE_EXAMPLE: Record<string, string> = {
  subject_code: '',
  interview_date: '2025-03-14',
  interview_language: 'ko',
  age_band: '35-44',
  sex: 'male',
  deployment_start: '2023-05',
  deployment_end: '2024-11',
  region: 'primorsky-krai',
  site_type: 'construction',
  visa_type: 'student',
  outcome: 'escaped',
  shift_start: '06:00',
  shift_end: '02:00',
  days_per_week: '7',
  rest_days_per_year: '2',
  pay_currency: 'USD',
  wage_paid: '800',
  loyalty_contribution: '600',
  ledger_credit: '150',
  received_in_hand: '50',
  ledger_paid: 'no',
  housing: 'shipping_container',
  minders: 'yes',
  ideological_sessions: 'yes',
  phones_forbidden: 'yes',
  consent_scopes: 'internal;research',
  consent_method: 'oral',
  consent_recorded_at: '2025-03-14T09:30:00Z',
  ilo_restriction_of_movement: 'yes',
  ilo_isolation: 'yes',
  ilo_withholding_of_wages: 'yes',
  ilo_excessive_overtime: 'yes',
  ilo_deception: 'unknown',
  injury1_kind: 'fall',
  injury1_severity: 'serious',
  injury1_month: '2024-02',
  injury1_care: 'denied',
  injury1_kept_working: 'yes',
  narrative:
    'He was sent on a student visa to build apartment blocks. Work began at dawn and ended long after midnight, with two days off in a year. ' +
    'Most of his pay went to the state; a ledger promised the rest on his return. Minders kept the team in a container on site and took their phones.',
  interviewer_notes: 'Spoke calmly; asked for a pause when talking about the fall.',
};

export const templateRows = (): string[][] => [CSV_HEADER, CSV_HEADER.map((n) => TEMPLATE_EXAMPLE[n] ?? '')];

export type { IloIndicator };
