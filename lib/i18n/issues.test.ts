import { describe, expect, it } from 'vitest';
import { CSV_HEADER, readHeader, validateRow } from '../testimonies/csv';
import { NewTestimony } from '../testimonies/input';
import { translator } from './index';
import { wordIssue, wordingOf } from './issues';

// A validation problem reaches a Korean reader in Korean: zod's wording for its own checks, the
// catalogue for ours; English stays exactly as raised (the API and the CLI speak it).
const ko = translator('ko');
const en = translator('en');
const hangul = /[\uac00-\ud7a3]/;

function rowIssues(cells: Record<string, string>) {
  const { header } = readHeader(CSV_HEADER);
  const result = validateRow(header!, CSV_HEADER.map((n) => cells[n] ?? ''), 7);
  return result.issues ?? [];
}

describe('issue wording', () => {
  it('a zod check (enum, number, date) is worded by zod in Korean; the English message is kept as raised', () => {
    const issues = rowIssues({ consent_scopes: 'internal', consent_method: 'oral', site_type: 'moon base', wage_paid: 'lots', interview_date: '2025-13-40' });
    expect(issues.map((i) => i.column).sort()).toEqual(['interview_date', 'site_type', 'wage_paid']);
    for (const i of issues) {
      expect(wordIssue(en, 'en', i)).toBe(i.message);
      const worded = wordIssue(ko, 'ko', i);
      expect(worded, i.column).toMatch(hangul);
      expect(worded).not.toBe(i.message);
    }
    const site = issues.find((i) => i.column === 'site_type')!;
    expect(wordIssue(ko, 'ko', site)).toContain('construction'); // the allowed values are named
  });

  it('our own schema messages and CSV messages come from the catalogue, with their values', () => {
    const month = rowIssues({ consent_scopes: 'internal', consent_method: 'oral', deployment_start: 'May 2023' }).find((i) => i.column === 'deployment_start')!;
    expect(month).toMatchObject({ message: 'Use YYYY-MM.', key: 'monthFormat' });
    expect(wordIssue(ko, 'ko', month)).toBe('YYYY-MM 형식으로 쓰세요.');
    const count = validateRow(readHeader(CSV_HEADER).header!, ['only one cell'], 3).issues![0]!;
    expect(count).toMatchObject({ key: 'csvCellCount', vars: { expected: CSV_HEADER.length, found: 1 } });
    expect(wordIssue(ko, 'ko', count)).toBe(`머리글처럼 ${CSV_HEADER.length}칸이어야 하는데 1칸입니다.`);
  });

  it('keeps what the check expected, never the value given (a cell may be narrative text)', () => {
    const parsed = NewTestimony.safeParse({ consent: { scopes: ['internal'], method: 'oral' }, deployment: { siteType: 'SECRET-NARRATIVE words' }, pay: { wagePaid: 'SECRET-TEXT' } });
    expect(parsed.success).toBe(false);
    const kept = parsed.error!.issues.map(wordingOf);
    expect(JSON.stringify(kept)).not.toContain('SECRET');
    expect(kept.find((w) => w.zod?.code === 'invalid_type')?.zod).toMatchObject({ expected: 'number', received: 'string' });
  });
});
