// kill -9 during publication (issue 8): the approving process dies inside its transaction, after it
// has written the published version and while it waits to append the audit event. Afterwards the
// summary is still in review with no snapshot, nothing is public, the audit chain verifies, and the
// next approval publishes normally. PostgreSQL only: the test holds the audit chain's lock from its
// own connection to stop the child at that point, and kills the process doing the work.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryVersion } from '@/db/schema';
import { verifyChain } from '@/lib/audit';
import { approveSummary, createSummary, listPublishedSummaries, submitSummary } from '@/lib/summaries';
import { orgWithActors, type RoleActors } from './actors';
import { freshDatabase, testDbKind, type TestDatabase } from './db';
import { actorOf, makeUser } from './fixtures';

const root = path.resolve(import.meta.dirname, '..');
const CHAIN_LOCK = 7_201_545; // lib/audit/index.ts

describe.runIf(testDbKind === 'postgres')('kill -9 during publication', () => {
  let database: TestDatabase;
  let org: RoleActors;
  let holder: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    org = await orgWithActors('killpub');
    holder = postgres(database.url!, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await holder.end({ timeout: 1 });
    await database.drop();
  });

  // A child process (tsx compiling lib/ on a cold cache) and up to 30 s of polling for its lock wait:
  // more than the 30 s default, like the other tests that spawn the command line.
  it('leaves the summary in review, nothing published, the chain intact; publishing again works', { timeout: 90_000 }, async () => {
    const approver = await actorOf((await makeUser({ id: org.orgId, slug: org.slug }, 'reviewer')).id);
    const s = await createSummary(org.reviewer, {
      slug: 'killed-publication',
      language: 'en',
      content: { title: 'Killed while publishing', body: 'Text.', scope: { from: '2023', to: '2023' }, sections: [{ measure: 'workers', by: ['site_type'], chart: 'bars', caption: 'By site' }] },
    });
    await submitSummary(org.reviewer, s.id);

    await holder`select pg_advisory_lock(${CHAIN_LOCK})`;
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'test/support/approve-summary-child.ts', approver.userId, s.id], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: database.url! },
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // The child says 'approving' before its transaction begins. Its line is awaited on its own: the
    // pipe's data may be read only after the lock query below answers, so checking `output` right
    // after that answer could miss a line the child did write.
    const approving = new Promise<boolean>((resolve) => {
      child.stderr.on('data', (c: Buffer) => {
        output += c.toString();
        if (output.includes('approving')) resolve(true);
      });
      void exited.then(() => resolve(false));
    });
    try {
      expect(await approving, `the child ended before it began approving: ${output}`).toBe(true);
      // Wait until the child's transaction has written the version and waits for the chain's lock.
      let waiting = false;
      for (let i = 0; i < 300 && !waiting; i++) {
        const rows = await holder`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock' and query like '%pg_advisory_xact_lock%'`;
        waiting = rows[0]!.n > 0;
        if (!waiting) await new Promise((r) => setTimeout(r, 100));
      }
      expect(waiting, `the child never reached the audit append: ${output}`).toBe(true);
      child.kill('SIGKILL');
      expect(await exited).toBeNull();
    } finally {
      await holder`select pg_advisory_unlock(${CHAIN_LOCK})`;
    }
    expect(output).not.toContain('published');

    const [v] = await database.db.select().from(summaryVersion).where(eq(summaryVersion.summaryId, s.id));
    expect(v).toMatchObject({ status: 'in_review', snapshot: null, snapshotSha256: null, publishedAt: null });
    expect((await listPublishedSummaries()).some((p) => p.slug === 'killed-publication')).toBe(false);
    expect((await verifyChain(database.db)).ok).toBe(true);
    const publishes = await database.db.execute(sql`select count(*)::int as n from audit_event where action = 'summary.publish'`);
    expect(JSON.stringify(publishes)).toContain('"n":0');

    const again = await approveSummary(approver, s.id);
    expect(again.version).toBe(1);
    expect((await listPublishedSummaries()).some((p) => p.slug === 'killed-publication')).toBe(true);
    expect((await verifyChain(database.db)).ok).toBe(true);
  });
});
