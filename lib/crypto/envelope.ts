import 'server-only';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigError, dataKeys } from '../secrets';

/** Where a value lives: bound into the ciphertext, so a value copied to another row fails to open. */
export interface Place {
  table: string;
  column: string;
  rowId: string;
}

export class CannotDecrypt extends Error {}

const VERSION = 'v1';
// Nonces are cut from a pool of random bytes refilled 6 KiB at a time: one system call for 512 values
// instead of one each (measured: a third of an import's encryption time). Every slice is used once, and
// a spent pool is replaced, never refilled in place, so a nonce already handed out cannot change.
const NONCES_PER_POOL = 512;
let noncePool = Buffer.alloc(0);
let nonceAt = 0;
export function freshNonce(): Buffer {
  if (nonceAt + 12 > noncePool.length) {
    noncePool = randomBytes(12 * NONCES_PER_POOL);
    nonceAt = 0;
  }
  const nonce = noncePool.subarray(nonceAt, nonceAt + 12);
  nonceAt += 12;
  return nonce;
}

const aad = (p: Place) => Buffer.from(`${p.table}\u0000${p.column}\u0000${p.rowId}`, 'utf8');

/**
 * AES-256-GCM with a fresh 96-bit nonce; stored as `v1.<keyId>.<nonce>.<ciphertext+tag>` (base64url).
 * `keyId` defaults to DATA_KEY_CURRENT; naming another configured key is for rotation and its tests.
 */
export function encrypt(plaintext: string, place: Place, keyId?: string): string {
  const { current: currentId, keys } = dataKeys();
  const current = keyId ?? currentId;
  const key = keys.get(current);
  if (!key) throw new ConfigError(`DATA_KEYS: no key "${current}" to encrypt with`);
  const nonce = freshNonce();
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad(place));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, current, nonce.toString('base64url'), body.toString('base64url')].join('.');
}

/** `v1.<keyId>.<12-byte nonce>.<ciphertext+tag>`, all base64url: what encrypt() writes, and nothing a person types. */
export const ENVELOPE_PATTERN = '^v1\\.[A-Za-z0-9_-]{1,64}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{22,}$'; // also a PostgreSQL regex
const ENVELOPE = new RegExp(ENVELOPE_PATTERN);
export const isEnvelope = (value: string) => ENVELOPE.test(value);

export function keyIdOf(envelope: string): string | undefined {
  const parts = envelope.split('.');
  return parts[0] === VERSION ? parts[1] : undefined;
}

export function decrypt(envelope: string, place: Place): string {
  const [version, keyId, nonceText, bodyText] = envelope.split('.');
  if (version !== VERSION || !keyId || !nonceText || !bodyText) throw new CannotDecrypt('not an envelope');
  const key = dataKeys().keys.get(keyId);
  if (!key) throw new CannotDecrypt(`data key "${keyId}" is not configured (DATA_KEYS)`);
  const body = Buffer.from(bodyText, 'base64url');
  if (body.length < 16) throw new CannotDecrypt('truncated value');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonceText, 'base64url'));
    decipher.setAAD(aad(place));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new CannotDecrypt('value does not belong here or was altered');
  }
}
