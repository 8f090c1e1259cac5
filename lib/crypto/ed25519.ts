import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

// Ed25519 keys as 32 raw bytes in base64 (what an operator can paste into an environment variable),
// wrapped in the fixed DER headers node:crypto reads (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const RAW_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

export interface Ed25519Key {
  privateKey: KeyObject;
  /** The public key, 32 raw bytes in base64. */
  publicKey: string;
}

/** The key pair of a 32-byte seed (any 32 random bytes are a valid Ed25519 private key), or undefined. */
export function ed25519FromSeed(seedBase64: string): Ed25519Key | undefined {
  if (!RAW_KEY.test(seedBase64.trim())) return undefined;
  const seed = Buffer.from(seedBase64.trim(), 'base64');
  if (seed.length !== 32) return undefined;
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey: spki.subarray(SPKI_PREFIX.length).toString('base64') };
}

/** A public key in the form `ed25519FromSeed` gives it, or undefined when it is not one. */
export function ed25519PublicKey(publicKeyBase64: string): KeyObject | undefined {
  if (!RAW_KEY.test(publicKeyBase64.trim())) return undefined;
  const raw = Buffer.from(publicKeyBase64.trim(), 'base64');
  if (raw.length !== 32) return undefined;
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

export function ed25519Sign(message: string, key: Ed25519Key): string {
  return sign(null, Buffer.from(message, 'utf8'), key.privateKey).toString('base64');
}

/** True only for a valid signature of exactly this message by this public key; false for anything malformed. */
export function ed25519Verify(message: string, signatureBase64: string, publicKeyBase64: string): boolean {
  const publicKey = ed25519PublicKey(publicKeyBase64);
  if (!publicKey || !/^[A-Za-z0-9+/]{86}==$/.test(signatureBase64)) return false;
  try {
    return verify(null, Buffer.from(message, 'utf8'), publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
