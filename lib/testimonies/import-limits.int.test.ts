// Imports at once: one more than an organisation may run gets 429, one more than the instance may run 503,
// both with Retry-After in the error shape; a job whose heartbeat stopped no longer counts.
import { stringify } from 'csv-stringify/sync';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as importRoute from '@/app/api/v1/testimonies/import/route';
import { importJob } from '@/db/schema';
import { issueToken } from '@/lib/auth/tokens';
import { env } from '@/lib/env';
import { inTransaction } from '@/lib/scope';
import { orgWithActors, type RoleActors } from '@/test/actors';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { userRow } from '@/test/fixtures';
import { templateRows } from './csv';
import { importsPerInstance, takeImportPlace } from './import-limits';

let database: TestDatabase;
let a: RoleActors;
let token: string;
const csv = stringify(templateRows());

async function postImport() {
  const req = new Request('http://localhost/api/v1/testimonies/import', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv });
  const res = await importRoute.POST(req, { params: Promise.resolve({}) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { error?: { code: string; message: string } } };
}

beforeAll(async () => {
  database = await freshDatabase();
  a = await orgWithActors('lim');
  const owner = await userRow(a.caseworker.userId);
  token = (await inTransaction((tx) => issueToken(tx, null, owner, 'limits test', 1))).token;
});
afterAll(() => database.drop());

describe(`import limits on ${testDbKind}`, () => {
  it(`an organisation running ${env.IMPORT_MAX_PER_ORG} imports gets 429 for one more, until one is done or its heartbeat stops`, async () => {
    const running = Array.from({ length: env.IMPORT_MAX_PER_ORG }, () => ({ id: randomUUID(), orgId: a.orgId, createdBy: a.caseworker.userId, status: 'receiving' as const }));
    await database.db.insert(importJob).values(running);
    expect(await postImport()).toEqual({
      status: 429,
      retryAfter: '10',
      body: { error: { code: 'rate_limited', message: `Your organisation already has ${env.IMPORT_MAX_PER_ORG} imports running. Try again when one has finished.`, requestId: expect.any(String) } },
    });
    await database.db.update(importJob).set({ updatedAt: new Date(Date.now() - 10 * 60_000) }).where(eq(importJob.id, running[0]!.id));
    expect((await postImport()).status).toBe(201);
  });

  it('an instance running as many imports as it may answers 503 for one more, and imports again once one ends', async () => {
    const cap = importsPerInstance(testDbKind === 'postgres');
    const places = Array.from({ length: cap }, () => takeImportPlace(testDbKind === 'postgres'));
    const refused = await postImport();
    places.forEach((release) => release());
    expect(refused).toMatchObject({ status: 503, retryAfter: '10', body: { error: { code: 'unavailable', message: 'This server is running as many imports as it can at once. Try again in a few seconds.' } } });
    expect((await postImport()).status).toBe(201);
  });
});
