import { describe, expect, it } from 'vitest';
import { auditRecord, type AuditCell, type AuditSnapshot, type Box, type TruthRow } from './audit';

// The two attacks of issue 14, as the adversary would run them, and the audit that stops them.

const Y2023 = ['2023Q1', '2023Q2', '2023Q3', '2023Q4'];
const scope = (siteTypes: string[]): Box => ({ quarter: Y2023, federal_district: ['far_eastern'], site_type: siteTypes, org: ['o'] });
const total = (siteTypes: string[], count: number | null): AuditCell => ({ by: {}, box: scope(siteTypes), count });
const snap = (id: string, cells: AuditCell[]): AuditSnapshot => ({ id, cells });
const workers = (site: string, n: number, injured = 0): TruthRow => ({
  values: { quarter: '2023Q2', federal_district: 'far_eastern', site_type: site, org: 'o' },
  workers: n,
  attributes: { injury: { part: injured, whole: n } },
});

describe('the whole-record audit', () => {
  const truth = [workers('construction', 4), workers('factory', 30), workers('logging', 25)];

  it('refuses the third of three overlapping scopes that pins 4 construction workers', async () => {
    const a = snap('a', [total(['construction', 'factory'], 34)]);
    const b = snap('b', [total(['factory', 'logging'], 55)]);
    const c = snap('c', [total(['construction', 'logging'], 29)]);
    const { findings } = await auditRecord({ candidate: c, current: [a, b], truth, k: 10, protection: 10 });
    const construction = findings.find((f) => f.kind === 'count' && f.box.site_type?.length === 1 && f.box.site_type[0] === 'construction');
    expect(construction).toMatchObject({ low: 4, high: 4 });
    expect(construction!.with.sort()).toEqual(['a', 'b']);
  });

  it('publishes each of the three alone and any two of them', async () => {
    const a = snap('a', [total(['construction', 'factory'], 34)]);
    const b = snap('b', [total(['factory', 'logging'], 55)]);
    expect((await auditRecord({ candidate: b, current: [a], truth, k: 10, protection: 10 })).findings).toEqual([]);
    expect((await auditRecord({ candidate: a, current: [], truth, k: 10, protection: 10 })).findings).toEqual([]);
  });

  it('refuses a share that, with an earlier version on other data, pins the injured among the workers added', async () => {
    const box = scope(['construction']);
    const cell = (count: number, percent: number): AuditCell => ({ by: { site_type: 'construction' }, box, count, share: { attribute: 'injury', whole: 'all', percent } });
    const v1 = snap('v1', [cell(40, 25)]);
    const v2 = snap('v2', [cell(50, 24)]);
    const now = [workers('construction', 50, 12)];
    const { findings } = await auditRecord({ candidate: v2, current: [], past: [v1], truth: now, k: 10, protection: 10 });
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'change', attribute: 'injury', low: 2, high: 2, with: ['v1'] }));
  });

  it('lets a version through when the change it shows is wide or at least k', async () => {
    const box = scope(['construction']);
    const v1 = snap('v1', [{ by: {}, box, count: 40 }]);
    const v2 = snap('v2', [{ by: {}, box, count: 52 }]);
    const { findings } = await auditRecord({ candidate: v2, current: [], past: [v1], truth: [workers('construction', 52)], k: 10, protection: 10 });
    expect(findings).toEqual([]);
  });

  it('refuses a share whose whole is the answers given when the rounding pins a small count', async () => {
    // 20 workers at 50 % of the known answers: how many answered is not published, so 10 is not pinned.
    const box = scope(['construction']);
    const cell: AuditCell = { by: {}, box, count: 20, share: { attribute: 'minders', whole: 'known', percent: 50 } };
    const truthRows: TruthRow[] = [{ values: { quarter: '2023Q2', federal_district: 'far_eastern', site_type: 'construction', org: 'o' }, workers: 20, attributes: { minders: { part: 10, whole: 20 } } }];
    const { findings } = await auditRecord({ candidate: snap('c', [cell]), current: [], truth: truthRows, k: 10, protection: 10 });
    expect(findings).toEqual([]);
  });
});
