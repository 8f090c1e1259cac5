import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, eventHash, GENESIS, type ChainedFields } from './chain';

/** The same object with its keys inserted in another order, at every depth. */
function reorder(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reorder(v, seed + i));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  // A deterministic shuffle driven by the seed.
  for (let i = entries.length - 1; i > 0; i--) {
    const j = (seed * 31 + i * 17) % (i + 1);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries.map(([k, v], i) => [k, reorder(v, seed + i + 1)]));
}

const jsonObject = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 8 });

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    fc.assert(
      fc.property(jsonObject, fc.nat(), (obj, seed) => {
        const shuffled = reorder(obj, seed);
        expect(canonicalJson(shuffled)).toBe(canonicalJson(obj));
      }),
    );
  });

  it('is valid JSON that parses back to an equal value', () => {
    fc.assert(
      fc.property(jsonObject, (obj) => {
        expect(JSON.parse(canonicalJson(obj))).toStrictEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });

  it('gives two objects the same string only when they hold the same data', () => {
    const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
    fc.assert(
      fc.property(jsonObject, jsonObject, (a, b) => {
        // isDeepStrictEqual ignores key order, as the canonical form must.
        expect(canonicalJson(a) === canonicalJson(b)).toBe(isDeepStrictEqual(plain(a), plain(b)));
      }),
    );
  });

  it('sorts keys and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, 2], c: null } })).toBe('{"a":{"c":null,"d":[3,1,2]},"b":1}');
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });
});

describe('eventHash', () => {
  const base: ChainedFields = {
    at: new Date('2025-03-01T10:00:00.000Z'),
    actorId: '6f1c2c4e-8a55-4c61-9d7e-1f0b7b1f2a10',
    actorRole: 'admin',
    orgId: '0b7b1f2a-8a55-4c61-9d7e-6f1c2c4e1f10',
    action: 'user.role_change',
    entity: 'user',
    entityId: '1f0b7b1f-8a55-4c61-9d7e-6f1c2c4e2a10',
    details: { from: 'caseworker', to: 'reviewer' },
  };
  const changes: [string, Partial<ChainedFields>][] = [
    ['at (by a millisecond)', { at: new Date(base.at.getTime() + 1) }],
    ['actorId', { actorId: '6f1c2c4e-8a55-4c61-9d7e-1f0b7b1f2a11' }],
    ['actorId to null', { actorId: null }],
    ['actorRole', { actorRole: 'reviewer' }],
    ['orgId', { orgId: null }],
    ['action', { action: 'user.disable' }],
    ['entity', { entity: 'api_token' }],
    ['entityId', { entityId: 'other' }],
    ['details (a value)', { details: { from: 'caseworker', to: 'admin' } }],
    ['details (an added key)', { details: { from: 'caseworker', to: 'reviewer', extra: true } }],
  ];

  it('is a 64-character hex digest, the same for the same input', () => {
    expect(eventHash(GENESIS, base)).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash(GENESIS, { ...base, details: { to: 'reviewer', from: 'caseworker' } })).toBe(eventHash(GENESIS, base));
  });

  it.each(changes)('changes when %s changes', (_field, change) => {
    expect(eventHash(GENESIS, { ...base, ...change })).not.toBe(eventHash(GENESIS, base));
  });

  it('changes when the previous hash changes', () => {
    expect(eventHash('1'.repeat(64), base)).not.toBe(eventHash(GENESIS, base));
  });

  it('changes for any change of any field (property)', () => {
    const fields = ['actorId', 'actorRole', 'orgId', 'action', 'entity', 'entityId'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.string({ minLength: 1 }), (field, value) => {
        fc.pre(base[field] !== value);
        expect(eventHash(GENESIS, { ...base, [field]: value })).not.toBe(eventHash(GENESIS, base));
      }),
    );
  });
});
