import { createCipheriv } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, parseDataKeys } from '../secrets';
import { CannotDecrypt, decrypt, encrypt, freshNonce, isEnvelope, keyIdOf, type Place } from './envelope';

// vitest.config.ts sets DATA_KEYS="t1:<32 × 0x01>,t2:<32 × 0x02>" and DATA_KEY_CURRENT=t2.
const KEY_T1 = Buffer.alloc(32, 1);
const place: Place = { table: 'testimony', column: 'narrative', rowId: '6f1c2c4e-8a55-4c61-9d7e-1f0b7b1f2a10' };
const narrative = 'We worked from six in the morning until two at night. 작업은 새벽까지 계속되었다.';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

/** Flips one bit of the byte at `index` of the envelope's ciphertext part. */
function tamper(envelope: string, index: number): string {
  const parts = envelope.split('.');
  const body = Buffer.from(parts[3]!, 'base64url');
  body[index] = body[index]! ^ 1;
  parts[3] = body.toString('base64url');
  return parts.join('.');
}

describe('envelope encryption', () => {
  it('round-trips text, including non-Latin and empty text', () => {
    expect(decrypt(encrypt(narrative, place), place)).toBe(narrative);
    expect(decrypt(encrypt('', place), place)).toBe('');
  });

  it('never stores the plaintext and uses the current key', () => {
    const sealed = encrypt(narrative, place);
    expect(sealed).not.toContain('six in the morning');
    expect(sealed).toMatch(/^v1\.t2\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(keyIdOf(sealed)).toBe('t2');
  });

  it('uses a fresh nonce for every value, across refills of the nonce pool, and never changes one handed out', () => {
    const first = freshNonce();
    const kept = Buffer.from(first);
    const nonces = Array.from({ length: 2000 }, () => freshNonce().toString('hex'));
    expect(new Set([...nonces, kept.toString('hex')]).size).toBe(2001);
    expect(first.equals(kept)).toBe(true); // its pool was replaced, not refilled in place
    const values = Array.from({ length: 1100 }, () => encrypt(narrative, place));
    expect(new Set(values).size).toBe(values.length);
    expect(new Set(values.map((v) => v.split('.')[2])).size).toBe(values.length);
    for (const v of values) expect(decrypt(v, place)).toBe(narrative);
  });

  it('refuses a value moved to another row, column or table', () => {
    const sealed = encrypt(narrative, place);
    for (const moved of [
      { ...place, rowId: '6f1c2c4e-8a55-4c61-9d7e-1f0b7b1f2a11' },
      { ...place, column: 'interviewer_notes' },
      { ...place, table: 'quote' },
      // The parts are separated, so shifting text between them does not give the same binding.
      { table: 'testimonyn', column: 'arrative', rowId: place.rowId },
    ]) {
      expect(() => decrypt(sealed, moved), JSON.stringify(moved)).toThrow(CannotDecrypt);
    }
  });

  it('refuses a tampered ciphertext, tag, nonce or key id', () => {
    const sealed = encrypt(narrative, place);
    const bodyLength = Buffer.from(sealed.split('.')[3]!, 'base64url').length;
    expect(() => decrypt(tamper(sealed, 0), place)).toThrow(CannotDecrypt);
    expect(() => decrypt(tamper(sealed, bodyLength - 1), place)).toThrow(CannotDecrypt); // the tag
    const parts = sealed.split('.');
    const nonce = Buffer.from(parts[2]!, 'base64url');
    nonce[0] = nonce[0]! ^ 1;
    expect(() => decrypt([parts[0], parts[1], nonce.toString('base64url'), parts[3]].join('.'), place)).toThrow(CannotDecrypt);
    expect(() => decrypt([parts[0], 't1', parts[2], parts[3]].join('.'), place)).toThrow(CannotDecrypt);
    expect(() => decrypt(sealed.slice(0, -10), place)).toThrow(CannotDecrypt);
    for (const junk of ['', 'plain text', 'v2.t2.a.b', 'v1.t2..', 'v1.t2.AAAA.AAAA']) {
      expect(() => decrypt(junk, place), junk).toThrow(CannotDecrypt);
    }
  });

  it('names DATA_KEYS when a value was written under a key that is not configured', () => {
    const parts = encrypt(narrative, place).split('.');
    const err = errorOf(() => decrypt([parts[0], 'gone', parts[2], parts[3]].join('.'), place));
    expect(err).toBeInstanceOf(CannotDecrypt);
    expect(err.message).toMatch(/gone/);
    expect(err.message).toMatch(/DATA_KEYS/);
  });

  it('opens a value written under the old key t1 while t2 is current', async () => {
    vi.resetModules();
    vi.stubEnv('DATA_KEY_CURRENT', 't1');
    try {
      const old = await import('./envelope');
      const sealed = old.encrypt(narrative, place);
      expect(old.keyIdOf(sealed)).toBe('t1');
      // This module (t2 current) still reads it, and seals new values under t2.
      expect(decrypt(sealed, place)).toBe(narrative);
      expect(keyIdOf(encrypt(narrative, place))).toBe('t2');
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });

  it('opens an envelope built by hand to the documented format (v1.<key id>.<nonce>.<ciphertext+tag>)', () => {
    const nonce = Buffer.alloc(12, 7);
    const cipher = createCipheriv('aes-256-gcm', KEY_T1, nonce);
    cipher.setAAD(Buffer.from(`${place.table}\u0000${place.column}\u0000${place.rowId}`, 'utf8'));
    const body = Buffer.concat([cipher.update(narrative, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    expect(decrypt(`v1.t1.${nonce.toString('base64url')}.${body.toString('base64url')}`, place)).toBe(narrative);
  });
});

describe('parseDataKeys', () => {
  const k = (byte: number, length = 32) => Buffer.alloc(length, byte).toString('base64');

  it('reads several keys; the current one is the last unless named', () => {
    const parsed = parseDataKeys(` a:${k(1)} , b-2:${k(2)} `);
    expect([...parsed.keys.keys()]).toEqual(['a', 'b-2']);
    expect(parsed.current).toBe('b-2');
    expect(parsed.keys.get('a')).toEqual(Buffer.alloc(32, 1));
    expect(parseDataKeys(`a:${k(1)},b:${k(2)}`, 'a').current).toBe('a');
  });

  it.each([
    ['a key id with a dot', `t.1:${k(1)}`],
    ['a key id with a space', `t 1:${k(1)}`],
    ['an empty key id', `:${k(1)}`],
    ['no colon at all', k(1)],
    ['a key id over 32 characters', `${'x'.repeat(33)}:${k(1)}`],
    ['a 16-byte key', `t1:${k(1, 16)}`],
    ['a 31-byte key', `t1:${k(1, 31)}`],
    ['a 33-byte key', `t1:${k(1, 33)}`],
    ['an empty key', 't1:'],
    ['no key at all', ' , '],
  ])('refuses %s', (_what, spec) => {
    expect(() => parseDataKeys(spec)).toThrow(ConfigError);
  });

  it('refuses a current key id that is not among the keys, naming it', () => {
    const err = errorOf(() => parseDataKeys(`t1:${k(1)}`, 't9'));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/DATA_KEY_CURRENT/);
    expect(err.message).toMatch(/t9/);
  });

  it('refuses a bad key among good ones, naming the key', () => {
    const err = errorOf(() => parseDataKeys(`t1:${k(1)},t2:${k(2, 24)}`));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/t2/);
  });
});

describe('isEnvelope', () => {
  it('recognises what encrypt writes, and not text a person typed', () => {
    expect(isEnvelope(encrypt('anything', { table: 't', column: 'c', rowId: '1' }))).toBe(true);
    for (const text of ['v1. The foreman said', 'v1.t2.short.x', 'plain text', '', 'v2.t2.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA']) expect(isEnvelope(text), text).toBe(false);
  });
});
