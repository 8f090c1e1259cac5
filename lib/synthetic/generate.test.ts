import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSubjectCode } from '../testimonies/domain/subject-code';
import { codeOf, codePermutation, CODE_SPACE, ID_KIND, idRange, indexOfId, syntheticId, syntheticWorker, type OrgPlan } from './generate';

const plan = (seed: number, orgNumber = 1): OrgPlan => ({
  seed,
  orgNumber,
  orgId: '00000000-0000-4000-8000-000000000001',
  caseworkerId: '00000000-0000-4000-8000-000000000002',
  reviewerId: '00000000-0000-4000-8000-000000000003',
});

describe('subject codes', () => {
  it('gives 100,000 workers of an organisation 100,000 different valid codes', () => {
    const permute = codePermutation(42, 1);
    const codes = new Set<string>();
    for (let i = 0; i < 100_000; i++) codes.add(codeOf(permute(i)));
    expect(codes.size).toBe(100_000);
    for (const c of [...codes].slice(0, 1000)) expect(isSubjectCode(c)).toBe(true);
  });

  it('is a permutation of the whole code space: distinct inputs never share a code', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: CODE_SPACE - 1 }), fc.integer({ min: 0, max: CODE_SPACE - 1 }), fc.nat(), (a, b, seed) => {
        const permute = codePermutation(seed >>> 0, 3);
        const [pa, pb] = [permute(a), permute(b)];
        expect(pa).toBeGreaterThanOrEqual(0);
        expect(pa).toBeLessThan(CODE_SPACE);
        if (a !== b) expect(pa).not.toBe(pb);
      }),
      { numRuns: 2000 },
    );
  });

  it('differs between seeds and between organisations', () => {
    const firstCodes = (seed: number, org: number) => Array.from({ length: 20 }, (_, i) => codeOf(codePermutation(seed, org)(i)));
    expect(firstCodes(42, 1)).toEqual(firstCodes(42, 1));
    expect(firstCodes(42, 1)).not.toEqual(firstCodes(43, 1));
    expect(firstCodes(42, 1)).not.toEqual(firstCodes(42, 2));
  });
});

describe('synthetic ids', () => {
  it('are uuids, unique per kind and index, and give their index back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 500 }), fc.constantFrom(...Object.values(ID_KIND)), (index, org, kind) => {
        const id = syntheticId(42, org, kind, index);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(indexOfId(id, 42, org, kind)).toBe(index);
        expect(indexOfId(id, 43, org, kind)).toBeNull();
        expect(indexOfId(id, 42, org + 1, kind)).toBeNull();
        const [low, high] = idRange(42, org, kind);
        expect(id >= low && id <= high).toBe(true);
        expect(syntheticId(42, org, kind, index + 1) > id).toBe(true);
      }),
    );
  });
});

describe('syntheticWorker', () => {
  it('is the same worker for the same seed, organisation and index; another seed gives another worker', () => {
    const a = syntheticWorker(plan(42), 17, 'W-000001');
    expect(syntheticWorker(plan(42), 17, 'W-000001')).toEqual(a);
    const b = syntheticWorker(plan(43), 17, 'W-000001');
    expect(b.testimony.id).not.toBe(a.testimony.id);
    expect({ ...b.testimony, id: a.testimony.id, subjectId: a.testimony.subjectId }).not.toEqual(a.testimony);
  });

  it('follows the shape of the reports over many workers', () => {
    const workers = Array.from({ length: 5000 }, (_, i) => syntheticWorker(plan(1), i, 'W-000001'));
    const share = (test: (w: (typeof workers)[number]) => boolean, among = workers) => among.filter(test).length / among.length;
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const afterBan = workers.filter((w) => w.testimony.deploymentStart! >= '2020');
    expect(share((w) => w.testimony.visaType === 'student', afterBan)).toBeGreaterThan(0.5);
    expect(share((w) => w.testimony.federalDistrict === 'far-eastern')).toBeGreaterThan(0.45);
    expect(share((w) => w.testimony.region === 'moscow' || w.testimony.region === 'moscow-oblast')).toBeGreaterThan(0.15);
    expect(share((w) => w.testimony.siteType === 'construction')).toBeGreaterThan(0.6);
    expect(share((w) => w.testimony.deploymentStart!.startsWith('2024'))).toBeGreaterThan(10 * share((w) => w.testimony.deploymentStart!.startsWith('2023')));
    const internal = workers.map((w) => w.facts.find((f) => f.audience === 'internal')).filter((f) => f != null);
    expect(median(internal.map((f) => f.hoursPerDay!))).toBeGreaterThanOrEqual(16);
    expect(median(internal.filter((f) => f.restDaysPerYear != null).map((f) => f.restDaysPerYear!))).toBeLessThanOrEqual(6);
    expect(median(internal.filter((f) => f.shareWithheld != null).map((f) => f.shareWithheld!))).toBeGreaterThan(0.75);
    expect(share((w) => w.injuries.length > 0)).toBeGreaterThan(0.2);
    expect(share((w) => w.consent.withdrawnAt !== null)).toBeGreaterThan(0.005);
    // Every testimony is approved and no fact is written for a withdrawn consent.
    expect(workers.every((w) => w.testimony.status === 'approved')).toBe(true);
    expect(workers.filter((w) => w.consent.withdrawnAt).every((w) => w.facts.length === 0)).toBe(true);
    expect(workers.filter((w) => !w.consent.withdrawnAt).every((w) => w.facts.some((f) => f.audience === 'internal'))).toBe(true);
  });
});
