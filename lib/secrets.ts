import 'server-only';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config-error';
import { ed25519FromSeed, ed25519PublicKey, type Ed25519Key } from './crypto/ed25519';
import { embedded, env } from './env';

export { ConfigError };

interface StoredSecrets {
  authSecret: string;
  dataKeys: Record<string, string>;
  /** Added by a later version: a secrets file written before it lacks one until the next start. */
  auditSigningKey?: string;
}

let cached: Required<StoredSecrets> | undefined;

// Only for the embedded database (a laptop or a demo): secrets are generated beside the data.
// With PostgreSQL a missing secret stops start-up: generated secrets would differ per instance.
function generatedSecrets(): Required<StoredSecrets> {
  if (cached) return cached;
  const dir = path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR);
  const file = path.join(dir, 'secrets.json');
  let stored: StoredSecrets | undefined;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  } catch {
    stored = undefined;
  }
  if (stored?.auditSigningKey) {
    cached = stored as Required<StoredSecrets>;
    return cached;
  }
  if (!stored) {
    mkdirSync(dir, { recursive: true });
    const keyId = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
    stored = {
      authSecret: randomBytes(32).toString('base64url'),
      dataKeys: { [keyId]: randomBytes(32).toString('base64') },
    };
    console.warn(
      `[warning] AUTH_SECRET and DATA_KEYS are not set: generated them into ${file}. ` +
        'Anyone who can read that file can read the narratives; back it up apart from the database, and set both variables in production.',
    );
  }
  const auditSigningKey = randomBytes(32).toString('base64');
  cached = { ...stored, auditSigningKey };
  writeFileSync(file, JSON.stringify(cached, null, 2), { mode: 0o600 });
  console.warn(
    `[warning] AUDIT_SIGNING_KEY is not set: generated it into ${file}. The audit log's checkpoints are signed with it; ` +
      `its public key is ${parseAuditSigningKey(auditSigningKey).publicKey}. Keep that public key and exported checkpoints ` +
      '(npm run cli -- audit checkpoint --out <file>) apart from the database, and set AUDIT_SIGNING_KEY in production.',
  );
  return cached;
}

function required(name: string): never {
  throw new ConfigError(`${name} is not set. With DATABASE_URL every instance needs the same ${name}; see README "Configuration".`);
}

export function authSecret(): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (!embedded()) required('AUTH_SECRET');
  return generatedSecrets().authSecret;
}

export interface DataKeys {
  current: string;
  keys: Map<string, Buffer>;
}

/** DATA_KEYS="id1:base64,id2:base64"; DATA_KEY_CURRENT names the key new values use (default: the last). */
export function parseDataKeys(spec: string, current?: string): DataKeys {
  const keys = new Map<string, Buffer>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = part.indexOf(':');
    const id = part.slice(0, at);
    const key = Buffer.from(part.slice(at + 1), 'base64');
    if (at < 1 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new ConfigError(`DATA_KEYS: "${id}" is not a valid key id`);
    if (key.length !== 32) throw new ConfigError(`DATA_KEYS: key ${id} must be 32 bytes, base64-encoded`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new ConfigError('DATA_KEYS holds no key');
  const currentId = current ?? [...keys.keys()].at(-1)!;
  if (!keys.has(currentId)) throw new ConfigError(`DATA_KEY_CURRENT: no key "${currentId}" in DATA_KEYS`);
  return { current: currentId, keys };
}

let dataKeysCache: DataKeys | undefined;
export function dataKeys(): DataKeys {
  if (dataKeysCache) return dataKeysCache;
  if (env.DATA_KEYS) dataKeysCache = parseDataKeys(env.DATA_KEYS, env.DATA_KEY_CURRENT);
  else if (!embedded()) required('DATA_KEYS');
  else {
    const stored = generatedSecrets().dataKeys;
    dataKeysCache = parseDataKeys(
      Object.entries(stored).map(([id, k]) => `${id}:${k}`).join(','),
      env.DATA_KEY_CURRENT,
    );
  }
  return dataKeysCache;
}

/** AUDIT_SIGNING_KEY: the 32-byte Ed25519 seed, base64 (`openssl rand -base64 32`). */
export function parseAuditSigningKey(spec: string): Ed25519Key {
  const key = ed25519FromSeed(spec);
  if (!key) throw new ConfigError('AUDIT_SIGNING_KEY must be 32 random bytes, base64-encoded (openssl rand -base64 32)');
  return key;
}

let auditKeyCache: Ed25519Key | undefined;
/** The key that signs the audit log's checkpoints (lib/audit/checkpoint.ts). */
export function auditSigningKey(): Ed25519Key {
  if (auditKeyCache) return auditKeyCache;
  if (env.AUDIT_SIGNING_KEY) auditKeyCache = parseAuditSigningKey(env.AUDIT_SIGNING_KEY);
  else if (!embedded()) required('AUDIT_SIGNING_KEY');
  else auditKeyCache = parseAuditSigningKey(generatedSecrets().auditSigningKey);
  return auditKeyCache;
}

/** Public keys whose checkpoints `audit verify` accepts: the signing key's, and AUDIT_TRUSTED_PUBLIC_KEYS (earlier keys). */
export function trustedAuditKeys(): string[] {
  const trusted = [auditSigningKey().publicKey];
  for (const part of (env.AUDIT_TRUSTED_PUBLIC_KEYS ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!ed25519PublicKey(part)) throw new ConfigError(`AUDIT_TRUSTED_PUBLIC_KEYS: "${part.slice(0, 12)}…" is not an Ed25519 public key (32 bytes, base64)`);
    trusted.push(Buffer.from(part, 'base64').toString('base64'));
  }
  return trusted;
}

/** Called at start-up so a missing secret stops the server with a message, not the first request. */
export function checkSecrets() {
  authSecret();
  dataKeys();
  trustedAuditKeys();
}
