import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CROCKFORD_ALPHABET, isSubjectCode, newSubjectCode, normaliseSubjectCode, SubjectCode } from './subject-code';

describe('newSubjectCode', () => {
  it('is W- followed by six Crockford base32 characters', () => {
    for (let i = 0; i < 200; i++) expect(newSubjectCode()).toMatch(/^W-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{6}$/);
  });

  it('never uses I, L, O or U', () => {
    expect(CROCKFORD_ALPHABET).toHaveLength(32);
    expect(CROCKFORD_ALPHABET).not.toMatch(/[ILOU]/);
    for (let i = 0; i < 500; i++) expect(newSubjectCode().slice(2)).not.toMatch(/[ILOU]/);
  });

  it('maps any random bytes to a valid code', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (bytes) => isSubjectCode(newSubjectCode(() => bytes))));
  });

  it('maps the low five bits of each byte to the alphabet', () => {
    expect(newSubjectCode(() => Uint8Array.from([0, 1, 31, 32, 255, 10]))).toBe('W-01Z0ZA');
  });

  it('uses every symbol in every position, roughly evenly', () => {
    const counts = Array.from({ length: 6 }, () => new Map<string, number>());
    const draws = 16_000;
    for (let i = 0; i < draws; i++) {
      [...newSubjectCode().slice(2)].forEach((symbol, position) => {
        const count = counts[position]!;
        count.set(symbol, (count.get(symbol) ?? 0) + 1);
      });
    }
    const expected = draws / 32;
    for (const count of counts) {
      expect(count.size).toBe(32);
      // 500 expected per symbol; ±40% is more than ten standard deviations.
      for (const n of count.values()) {
        expect(n).toBeGreaterThan(expected * 0.6);
        expect(n).toBeLessThan(expected * 1.4);
      }
    }
  });

  it('refuses a source that returns too few bytes', () => {
    expect(() => newSubjectCode(() => new Uint8Array(5))).toThrow(RangeError);
  });
});

describe('SubjectCode', () => {
  it('accepts a generated code unchanged', () => {
    for (let i = 0; i < 100; i++) {
      const code = newSubjectCode();
      expect(SubjectCode.parse(code)).toBe(code);
    }
  });

  it('accepts lower case and returns upper case', () => {
    expect(SubjectCode.parse('w-7k3f9q')).toBe('W-7K3F9Q');
    expect(SubjectCode.parse('  W-7k3F9q ')).toBe('W-7K3F9Q');
  });

  it('reads I and L as 1 and O as 0', () => {
    expect(SubjectCode.parse('W-IL0OAB')).toBe('W-1100AB');
    expect(SubjectCode.parse('w-ilo9zz')).toBe('W-1109ZZ');
    expect(normaliseSubjectCode('w-oooooo')).toBe('W-000000');
  });

  it('rejects what is not a subject code', () => {
    for (const bad of ['', 'W-', 'W-7K3F9', 'W-7K3F9QQ', 'X-7K3F9Q', 'W7K3F9Q', 'W-7K3F9U', 'W-7K3F9!', 'W_7K3F9Q']) {
      expect(SubjectCode.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('is idempotent: normalising a normalised code changes nothing', () => {
    const symbol = fc.constantFrom(...'0123456789abcdefghijklmnopqrstvwxyzABCDEFGHIJKLMNOPQRSTVWXYZ');
    fc.assert(
      fc.property(fc.array(symbol, { minLength: 6, maxLength: 6 }), (symbols) => {
        const once = SubjectCode.parse(`w-${symbols.join('')}`);
        return SubjectCode.parse(once) === once && isSubjectCode(once);
      }),
    );
  });
});
