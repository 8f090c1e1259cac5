import { describe, expect, it } from 'vitest';
import {
  AGE_BANDS,
  CONSENT_METHODS,
  CONSENT_SCOPES,
  HOUSING_KINDS,
  ILO_INDICATOR_KEYS,
  ILO_INDICATORS,
  IloIndicator,
  INJURY_KINDS,
  INJURY_SEVERITIES,
  MEDICAL_CARE,
  NK_PROVINCE_KEYS,
  NK_PROVINCES,
  NkProvince,
  OUTCOMES,
  SEX,
  SITE_TYPES,
  SiteType,
  TRI,
  VISA_TYPES,
} from './indicators';

describe('ILO indicators', () => {
  it('lists eleven indicators with unique keys and labels', () => {
    expect(ILO_INDICATORS).toHaveLength(11);
    expect(new Set(ILO_INDICATOR_KEYS).size).toBe(11);
    expect(new Set(ILO_INDICATORS.map((i) => i.label)).size).toBe(11);
  });

  it('names each of the ILO indicators', () => {
    expect(ILO_INDICATORS.map((i) => i.label.toLowerCase())).toEqual([
      'abuse of vulnerability',
      'deception',
      'restriction of movement',
      'isolation',
      'physical and sexual violence',
      'intimidation and threats',
      'retention of identity documents',
      'withholding of wages',
      'debt bondage',
      'abusive working and living conditions',
      'excessive overtime',
    ]);
  });

  it('uses snake_case keys and validates them', () => {
    for (const key of ILO_INDICATOR_KEYS) {
      expect(key).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(IloIndicator.parse(key)).toBe(key);
    }
    expect(IloIndicator.safeParse('Deception').success).toBe(false);
  });
});

describe('record enums', () => {
  it.each([
    ['SITE_TYPES', SITE_TYPES, 7],
    ['VISA_TYPES', VISA_TYPES, 6],
    ['OUTCOMES', OUTCOMES, 5],
    ['HOUSING_KINDS', HOUSING_KINDS, 4],
    ['INJURY_KINDS', INJURY_KINDS, 10],
    ['INJURY_SEVERITIES', INJURY_SEVERITIES, 4],
    ['MEDICAL_CARE', MEDICAL_CARE, 4],
    ['TRI', TRI, 3],
    ['AGE_BANDS', AGE_BANDS, 5],
    ['SEX', SEX, 3],
    ['CONSENT_SCOPES', CONSENT_SCOPES, 4],
    ['CONSENT_METHODS', CONSENT_METHODS, 3],
  ] as const)('%s has %i unique values', (_name, values, size) => {
    expect(values).toHaveLength(size);
    expect(new Set(values).size).toBe(size);
  });

  it('ends the open-ended lists with other or unknown', () => {
    expect(SITE_TYPES.at(-1)).toBe('other');
    expect(VISA_TYPES.at(-1)).toBe('unknown');
    expect(OUTCOMES.at(-1)).toBe('unknown');
  });

  it('validates with the zod enum', () => {
    expect(SiteType.parse('logging')).toBe('logging');
    expect(SiteType.safeParse('mining').success).toBe(false);
  });
});

describe('North Korean provinces', () => {
  it('lists nine provinces and four special cities with unique keys and names', () => {
    expect(NK_PROVINCES).toHaveLength(13);
    expect(new Set(NK_PROVINCE_KEYS).size).toBe(13);
    expect(new Set(NK_PROVINCES.map((p) => p.name)).size).toBe(13);
    for (const city of ['pyongyang', 'rason', 'nampo', 'kaesong']) expect(NkProvince.parse(city)).toBe(city);
  });
});

describe('the indicator list and the database enum', () => {
  it('name the same eleven indicators in the same order', async () => {
    const { iloIndicator } = await import('@/db/schema');
    const { ILO_INDICATOR_KEYS } = await import('./indicators');
    expect([...ILO_INDICATOR_KEYS]).toEqual([...iloIndicator.enumValues]);
  });
});
