// `keys status` and `keys rotate` as an operator runs them: a real process, on a real data folder or database.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows, type Db } from '@/db';
import { totpPlace } from '@/lib/auth/sign-in';
import { decrypt, encrypt, keyIdOf } from '@/lib/crypto/envelope';
import { cliHarness, type CliHarness } from '@/test/cli';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { uniq } from '@/test/fixtures';

let database: TestDatabase;
let harness: CliHarness;
const cli = (args: string[]) => harness.run(args);
const inCliDatabase = <T>(work: (db: Db) => Promise<T>) => harness.inDatabase(work);

beforeAll(async () => {
  database = await freshDatabase();
  harness = cliHarness(database, { DATA_KEY_CURRENT: 't2' });
});
afterAll(async () => {
  await database.drop();
  harness.cleanup();
});

const slug = `keys-${uniq()}`;
const SECRET = 'JBSWY3DPEHPK3PXP';

describe(`keys on ${testDbKind}`, { timeout: 90_000 }, () => {
  it('status shows what the old key protects; rotate moves it all to the current key, in batches; status then shows zero', async () => {
    expect((await cli(['org', 'create', '--slug', slug, '--name', 'Keys NGO'])).code).toBe(0);
    for (const role of ['reviewer', 'admin']) {
      const made = await cli(['user', 'create', '--org', slug, '--email', `${role}@${slug}.example`, '--role', role]);
      expect(made.code).toBe(0);
    }
    // Second-factor secrets written under t1, the key being retired.
    const users = await inCliDatabase(async (db) => {
      const rows = await execRows<{ id: string }>(db, sql`select id from app_user where email like ${`%@${slug}.example`} order by id`);
      for (const { id } of rows) await db.execute(sql`update app_user set totp_secret = ${encrypt(SECRET, totpPlace(id), 't1')} where id = ${id}`);
      return rows.map((r) => r.id);
    });
    expect(users).toHaveLength(2);

    const before = await cli(['keys', 'status']);
    expect(before.stderr).toBe('');
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^current key: t2$/m);
    expect(before.stdout).toMatch(/^app_user\.totp_secret: t1 2$/m);
    expect(before.stdout).toMatch(/^testimony\.narrative: no values$/m);
    expect(before.stdout).toMatch(/^key t1: 2 values$/m);

    const rotate = await cli(['keys', 'rotate', '--batch', '1']);
    expect(rotate.stderr).toBe('');
    expect(rotate.code).toBe(0);
    expect(rotate.stdout).toContain('app_user.totp_secret: 1 re-encrypted (1 so far)\napp_user.totp_secret: 1 re-encrypted (2 so far)\n');
    expect(rotate.stdout).toMatch(/^app_user\.totp_secret: 2 values now under t2$/m);
    expect(rotate.stdout).toMatch(/^testimony\.narrative: 0 values now under t2$/m);
    expect(rotate.stdout).toMatch(/^done: /m);

    const after = await cli(['keys', 'status']);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/^app_user\.totp_secret: t2 2$/m);
    expect(after.stdout).toMatch(/^key t1: 0 values \(protects nothing: may leave DATA_KEYS\)$/m);
    expect(after.stdout).toMatch(/^key t2: 2 values$/m);

    const secrets = await inCliDatabase((db) => execRows<{ id: string; totp_secret: string }>(db, sql`select id, totp_secret from app_user where email like ${`%@${slug}.example`}`));
    for (const s of secrets) {
      expect(keyIdOf(s.totp_secret)).toBe('t2');
      expect(decrypt(s.totp_secret, totpPlace(s.id))).toBe(SECRET);
    }
    const events = await inCliDatabase((db) => execRows<{ n: number }>(db, sql`select count(*)::int as n from audit_event where action = 'keys.rotate'`));
    expect(Number(events[0]!.n)).toBe(2);

    const again = await cli(['keys', 'rotate']);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/re-encrypted/);
  });

  it('refuses a batch size that is not a positive whole number', async () => {
    const run = await cli(['keys', 'rotate', '--batch', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: /);
    expect(run.stdout).toBe('');
  });
});
