import { describe, expect, it } from 'vitest';
import { districtOf, FEDERAL_DISTRICTS, FEDERAL_SUBJECTS, OTHER_REGION, REGION_CODES, RegionCode } from './regions';

describe('federal subjects', () => {
  it('lists the 83 internationally recognised subjects', () => {
    expect(FEDERAL_SUBJECTS).toHaveLength(83);
    expect(REGION_CODES).toHaveLength(83);
  });

  it('has unique codes and unique names', () => {
    expect(new Set(REGION_CODES).size).toBe(83);
    expect(new Set(FEDERAL_SUBJECTS.map((s) => s.name)).size).toBe(83);
  });

  it('uses lowercase slugs as codes', () => {
    for (const code of REGION_CODES) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('has 8 districts, each holding at least one subject', () => {
    expect(FEDERAL_DISTRICTS).toHaveLength(8);
    for (const district of FEDERAL_DISTRICTS) {
      expect(FEDERAL_SUBJECTS.some((s) => s.district === district)).toBe(true);
    }
  });

  it('holds the district sizes of the current assignment', () => {
    const size = (d: string) => FEDERAL_SUBJECTS.filter((s) => s.district === d).length;
    expect(FEDERAL_DISTRICTS.map(size)).toEqual([18, 11, 6, 7, 14, 6, 10, 11]);
  });

  it.each([
    ['primorsky-krai', 'far-eastern'],
    ['moscow', 'central'],
    ['moscow-oblast', 'central'],
    ['tatarstan', 'volga'],
    ['sverdlovsk-oblast', 'ural'],
    ['novosibirsk-oblast', 'siberian'],
    ['kaliningrad-oblast', 'northwestern'],
    ['chechnya', 'north-caucasian'],
    ['rostov-oblast', 'southern'],
    ['buryatia', 'far-eastern'],
    ['zabaykalsky-krai', 'far-eastern'],
    ['amur-oblast', 'far-eastern'],
    ['saint-petersburg', 'northwestern'],
  ] as const)('places %s in the %s district', (code, district) => {
    expect(districtOf(code)).toBe(district);
  });

  it('leaves out territories occupied in Ukraine', () => {
    const names = FEDERAL_SUBJECTS.map((s) => s.name.toLowerCase()).join('|');
    for (const occupied of ['crimea', 'sevastopol', 'donetsk', 'luhansk', 'zaporizhzhia', 'kherson']) {
      expect(names).not.toContain(occupied);
    }
  });
});

describe('RegionCode', () => {
  it('accepts every listed code and other', () => {
    for (const code of REGION_CODES) expect(RegionCode.parse(code)).toBe(code);
    expect(RegionCode.parse(OTHER_REGION)).toBe('other');
  });

  it('rejects codes not in the list', () => {
    for (const code of ['crimea', 'sevastopol', 'Moscow', '', 'primorsky']) {
      expect(RegionCode.safeParse(code).success).toBe(false);
    }
  });

  it("gives 'other' the district unknown", () => {
    expect(districtOf(OTHER_REGION)).toBe('unknown');
  });
});
