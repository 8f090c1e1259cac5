// Start-up after a crash: import jobs a dead process left running are failed, and its temporary folders go.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importJob } from '@/db/schema';
import { orgWithActors, type RoleActors } from '@/test/actors';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { importRunner, runnerLabel } from './import-progress';
import { failAbandonedImports } from './import-recovery';

let database: TestDatabase;
let a: RoleActors;
let spoolRoot: string;

beforeAll(async () => {
  database = await freshDatabase();
  a = await orgWithActors('rec');
  spoolRoot = mkdtempSync(path.join(tmpdir(), 'ledger-recovery-'));
});
afterAll(async () => {
  rmSync(spoolRoot, { recursive: true, force: true });
  await database.drop();
});

describe(`start-up cleanup of interrupted imports on ${testDbKind}`, () => {
  it('fails the jobs of dead processes, keeps those of live ones, and removes dead processes\' spool folders', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!; // exited: no process has this pid now
    const host = importRunner.host;
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    const jobs = {
      deadProcess: { status: 'receiving', runner: `${host}/${deadPid}/${randomUUID()}` },
      earlierRunOfThisPid: { status: 'writing', runner: `${host}/${process.pid}/${randomUUID()}` },
      heartbeatStopped: { status: 'writing', runner: `elsewhere/4242/${randomUUID()}`, updatedAt: minutesAgo(10) },
      otherInstanceRunning: { status: 'receiving', runner: `elsewhere/4242/${randomUUID()}` },
      thisProcessRunning: { status: 'receiving', runner: runnerLabel() },
      finished: { status: 'done', runner: `${host}/${deadPid}/${randomUUID()}` },
    } as const;
    const ids = Object.fromEntries(Object.keys(jobs).map((k) => [k, randomUUID()])) as Record<keyof typeof jobs, string>;
    await database.db.insert(importJob).values(Object.entries(jobs).map(([k, j]) => ({ id: ids[k as keyof typeof jobs], orgId: a.orgId, createdBy: a.caseworker.userId, ...j })));
    const folders = [`ledger-import-${deadPid}-aB3dE9`, `ledger-import-${process.pid}-Zx81Qe`, `ledger-import-${process.ppid}-Live01`, 'ledger-import-Old9x1', 'unrelated'];
    for (const f of folders) {
      mkdirSync(path.join(spoolRoot, f));
      writeFileSync(path.join(spoolRoot, f, 'rows'), 'encrypted rows');
    }

    const result = await failAbandonedImports({ spoolRoot });

    const rows = await database.db.select().from(importJob).where(inArray(importJob.id, Object.values(ids)));
    const statusOf = Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, rows.find((r) => r.id === id)!.status]));
    // The embedded database is opened by one process only: whatever was running there is dead.
    const live = testDbKind === 'postgres' ? 'receiving' : 'failed';
    expect(statusOf).toEqual({ deadProcess: 'failed', earlierRunOfThisPid: 'failed', heartbeatStopped: 'failed', otherInstanceRunning: live, thisProcessRunning: live, finished: 'done' });
    expect(rows.find((r) => r.id === ids.deadProcess)).toMatchObject({ message: 'The import stopped before anything was written.', messageWording: { key: 'importStopped' }, finishedAt: expect.any(Date) });
    expect(result.jobs).toBe(testDbKind === 'postgres' ? 3 : 5);
    expect(readdirSync(spoolRoot).sort()).toEqual([`ledger-import-${process.ppid}-Live01`, 'ledger-import-Old9x1', 'unrelated'].sort());
    expect(result.folders).toBe(2);
  });
});
