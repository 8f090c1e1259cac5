import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// lib/env.ts reads the environment once, at import: each case imports a fresh copy.
async function secretsWith(vars: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
  return import('./secrets');
}

const dirs: string[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the audit signing key', () => {
  it('with DATABASE_URL and no AUDIT_SIGNING_KEY, start-up stops naming it', async () => {
    const { checkSecrets } = await secretsWith({ DATABASE_URL: 'postgres://ledger@db.internal/ledger', AUDIT_SIGNING_KEY: undefined });
    expect(() => checkSecrets()).toThrowError(/^AUDIT_SIGNING_KEY is not set\. With DATABASE_URL every instance needs the same AUDIT_SIGNING_KEY/);
  });

  it('a key that is not 32 bytes of base64 stops start-up, saying how to make one', async () => {
    for (const bad of ['too-short', Buffer.alloc(31, 1).toString('base64'), Buffer.alloc(33, 1).toString('base64')]) {
      const { checkSecrets } = await secretsWith({ AUDIT_SIGNING_KEY: bad });
      expect(() => checkSecrets()).toThrowError(/AUDIT_SIGNING_KEY must be 32 random bytes, base64-encoded \(openssl rand -base64 32\)/);
    }
  });

  it('an earlier public key that is not one stops start-up; a good one is trusted beside the current key', async () => {
    const bad = await secretsWith({ AUDIT_TRUSTED_PUBLIC_KEYS: 'nonsense' });
    expect(() => bad.checkSecrets()).toThrowError(/AUDIT_TRUSTED_PUBLIC_KEYS: "nonsense…" is not an Ed25519 public key/);
    const earlier = bad.parseAuditSigningKey(Buffer.alloc(32, 9).toString('base64')).publicKey;
    const good = await secretsWith({ AUDIT_TRUSTED_PUBLIC_KEYS: ` ${earlier} ` });
    expect(good.trustedAuditKeys()).toEqual([good.auditSigningKey().publicKey, earlier]);
  });

  it('embedded, without one: generated into the secrets file of an older version, beside its secrets, with the public key printed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ledger-secrets-'));
    dirs.push(dir);
    const file = path.join(dir, 'secrets.json');
    const older = { authSecret: 'an-older-secret-an-older-secret-0123456789', dataKeys: { k1: Buffer.alloc(32, 5).toString('base64') } };
    writeFileSync(file, JSON.stringify(older));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const secrets = await secretsWith({ DATA_DIR: dir, DATABASE_URL: undefined, AUDIT_SIGNING_KEY: undefined, AUTH_SECRET: undefined, DATA_KEYS: undefined, DATA_KEY_CURRENT: undefined });
    const key = secrets.auditSigningKey();
    const stored = JSON.parse(readFileSync(file, 'utf8')) as typeof older & { auditSigningKey: string };
    expect(stored).toMatchObject(older);
    expect(secrets.parseAuditSigningKey(stored.auditSigningKey).publicKey).toBe(key.publicKey);
    expect(secrets.authSecret()).toBe(older.authSecret);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain(`its public key is ${key.publicKey}`);

    // The next start reads it back, silently.
    warn.mockClear();
    const again = await secretsWith({ DATA_DIR: dir });
    expect(again.auditSigningKey().publicKey).toBe(key.publicKey);
    expect(warn).not.toHaveBeenCalled();
  });
});
