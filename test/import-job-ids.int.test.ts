// Issue 16: `POST /api/v1/testimonies/import?job=<id>` answered 409 "exists already" for another
// organisation's job id and 201 for a fresh one, so anyone could test which ids exist. Job ids are now
// names within an organisation: a foreign id answers exactly like a fresh one; reusing one's own still 409.
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as importJob from '@/app/api/v1/imports/[id]/route';
import * as importRoute from '@/app/api/v1/testimonies/import/route';
import { issueToken } from '@/lib/auth/tokens';
import { inTransaction } from '@/lib/scope';
import { CSV_HEADER } from '@/lib/testimonies/csv';
import { orgWithActors } from './actors';
import { freshDatabase, type TestDatabase } from './db';
import { userRow } from './fixtures';

const noParams = { params: Promise.resolve({}) };
const csv = stringify([CSV_HEADER, CSV_HEADER.map((n) => ({ consent_scopes: 'internal;research', consent_method: 'oral' })[n] ?? '')]);

let database: TestDatabase;
const tokens: string[] = [];

async function tokenOf(userId: string) {
  const owner = await userRow(userId);
  return (await inTransaction((tx) => issueToken(tx, null, owner, 'job ids', 1))).token;
}

async function upload(token: string, job: string) {
  const req = new Request(`http://localhost/api/v1/testimonies/import?job=${job}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv });
  const res = await importRoute.POST(req, noParams);
  return { status: res.status, body: (await res.json()) as { job?: string; imported?: number; error?: { code: string; message: string } } };
}

async function poll(token: string, job: string) {
  const res = await importJob.GET(new Request(`http://localhost/api/v1/imports/${job}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ id: job }) });
  return { status: res.status, body: (await res.json()) as { id?: string; status?: string; imported?: number } };
}

beforeAll(async () => {
  database = await freshDatabase();
  for (const prefix of ['joba', 'jobb']) tokens.push(await tokenOf((await orgWithActors(prefix)).caseworker.userId));
});
afterAll(() => database.drop());

describe('client-chosen import job ids', () => {
  it("another organisation's job id answers like a fresh id; one's own id again is a conflict", async () => {
    const [a, b] = tokens as [string, string];
    const used = crypto.randomUUID();
    const fresh = crypto.randomUUID();
    expect(await upload(a, used)).toMatchObject({ status: 201, body: { job: used, imported: 1 } });

    const foreign = await upload(b, used);
    const unused = await upload(b, fresh);
    console.log(`foreign id → ${foreign.status}, fresh id → ${unused.status}`);
    expect({ ...foreign, body: { ...foreign.body, job: 'id' } }).toEqual({ ...unused, body: { ...unused.body, job: 'id' } });
    expect(foreign).toMatchObject({ status: 201, body: { job: used, imported: 1 } });

    // Each organisation polls its own job under the shared id, never the other's.
    expect(await poll(b, used)).toMatchObject({ status: 200, body: { id: used, status: 'done', imported: 1 } });
    expect(await poll(a, used)).toMatchObject({ status: 200, body: { id: used, status: 'done', imported: 1 } });
    expect((await poll(a, fresh)).status).toBe(404);

    // Within one organisation an id names one import: a second upload under it is refused, nothing written twice.
    expect(await upload(a, used)).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
  });
});
