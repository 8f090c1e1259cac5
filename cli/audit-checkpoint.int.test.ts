// `audit checkpoint` and `audit verify --against` as an operator runs them, and the signing key's
// configuration: a real process, on a real data folder or database.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/db';
import { audit } from '@/lib/audit';
import { checkpointSignatureValid, parseCheckpointFile } from '@/lib/audit/checkpoint';
import { parseAuditSigningKey } from '@/lib/secrets';
import { cliHarness, type CliHarness } from '@/test/cli';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { uniq } from '@/test/fixtures';

let database: TestDatabase;
let harness: CliHarness;
let work: string;
const cli = (args: string[], opts?: { env?: Record<string, string> }) => harness.run(args, opts);

beforeAll(async () => {
  database = await freshDatabase();
  harness = cliHarness(database);
  work = mkdtempSync(path.join(tmpdir(), 'ledger-checkpoint-'));
});
afterAll(async () => {
  await database.drop();
  harness.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe(`audit checkpoints on the command line, on ${testDbKind}`, { timeout: 180_000 }, () => {
  it('exports a signed checkpoint; verify --against it passes, and fails once the events it covers are deleted, even with every later checkpoint', async () => {
    await harness.withLib(async () => {
      const database = await db();
      for (const i of [1, 2, 3]) await database.transaction((tx) => audit(tx, null, { action: 'test.event', actorRole: 'operator', details: { i } }));
    });
    const file = path.join(work, 'checkpoint.json');
    const exported = await cli(['audit', 'checkpoint', '--out', file]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(new RegExp(`^wrote ${file}: checkpoint at event 4 \\(4 events, .+\\), signed by public key [A-Za-z0-9+/]{43}=\\n`));
    const checkpoint = parseCheckpointFile(readFileSync(file, 'utf8'))!;
    expect(checkpoint).toMatchObject({ lastEventId: 4, eventCount: 4, publicKey: parseAuditSigningKey(process.env.AUDIT_SIGNING_KEY!).publicKey });
    expect(checkpointSignatureValid(checkpoint)).toBe(true);

    const ok = await cli(['audit', 'verify', '--against', file]);
    expect(ok.stdout).toMatch(/^ok 4 events; 2 signed checkpoints, the latest at event 4 \(.+\); 0 events after it\n/);
    expect(ok.stdout).toMatch(new RegExp(`^the log holds every event up to the checkpoint in ${file} \\(event 4, .+\\)$`, 'm'));
    expect(ok.code).toBe(0);

    // A superuser removes the newest events and every checkpoint that covers them.
    await harness.inDatabase((db) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`delete from audit_event where id >= 3`);
        await tx.execute(sql`delete from audit_checkpoint where last_event_id >= 3`);
      }),
    );
    const inside = await cli(['audit', 'verify']);
    expect(inside).toMatchObject({ code: 0, stdout: expect.stringMatching(/^ok 2 events; 1 signed checkpoint, /) }); // the window README describes
    const outside = await cli(['audit', 'verify', '--against', file]);
    expect(outside.stdout).toMatch(/^broken at event 4: the log ends at event 2 \(2 events\), but the checkpoint file covers 4 events up to event 4 \(.+\): the events after 2 were deleted/);
    expect(outside.code).toBe(1);
  });

  it('refuses a file it cannot read or that was altered, and will not sign a broken log', async () => {
    const missing = await cli(['audit', 'verify', '--against', path.join(work, 'nothing-here.json')]);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: cannot read .*nothing-here\.json \(ENOENT\)/) });
    const file = path.join(work, 'checkpoint.json');
    const altered = path.join(work, 'altered.json');
    const text = readFileSync(file, 'utf8').replace('"eventCount": 4', '"eventCount": 3');
    writeFileSync(altered, text);
    const run = await cli(['audit', 'verify', '--against', altered]);
    expect(run.stdout).toMatch(/^broken at event 4: the checkpoint file's signature does not match its contents/);
    expect(run.code).toBe(1);

    await harness.inDatabase((db) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`update audit_event set details = '{"forged": true}' where id = 2`);
      }),
    );
    const notWritten = path.join(work, 'not-written.json');
    const refused = await cli(['audit', 'checkpoint', '--out', notWritten]);
    expect(refused.stdout).toMatch(/^not signed: the log is broken at event 2: row content does not match its hash/);
    expect(refused.code).toBe(1);
    expect(existsSync(notWritten)).toBe(false);
  });

  it.runIf(testDbKind === 'postgres')('with DATABASE_URL and no AUDIT_SIGNING_KEY, commands stop with a clear message', async () => {
    const { AUDIT_SIGNING_KEY: _key, ...env } = harness.env;
    const run = await cli(['audit', 'verify'], { env });
    expect(run.stderr).toMatch(/^error: AUDIT_SIGNING_KEY is not set\. With DATABASE_URL every instance needs the same AUDIT_SIGNING_KEY/);
    expect(run.code).toBe(1);
  });

  it('embedded and without AUDIT_SIGNING_KEY: generated into the secrets file once, its public key printed; the checkpoint goes to stdout without --out', async () => {
    const dataDir = mkdtempSync(path.join(work, 'data-'));
    const { AUDIT_SIGNING_KEY: _key, ...rest } = harness.pgliteEnv;
    const env = { ...rest, DATA_DIR: dataDir };
    const first = await cli(['org', 'create', '--slug', `gen-${uniq()}`, '--name', 'Generated'], { env });
    expect(first.code).toBe(0);
    const stored = JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as { auditSigningKey: string };
    const publicKey = parseAuditSigningKey(stored.auditSigningKey).publicKey;
    expect(first.stderr).toContain(`AUDIT_SIGNING_KEY is not set: generated it into ${path.join(dataDir, 'secrets.json')}`);
    expect(first.stderr).toContain(`its public key is ${publicKey}`);
    const again = await cli(['audit', 'checkpoint'], { env });
    expect(again.stderr).toBe('');
    expect(parseCheckpointFile(again.stdout)).toMatchObject({ publicKey });
    expect(existsSync(path.join(dataDir, 'secrets.json'))).toBe(true);
  });
});
