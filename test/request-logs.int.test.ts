// An unexpected error in a route: the client gets 500 with the request's id and nothing else; the
// one log line of that error carries exactly that id, and neither the query's parameters (a subject
// code here) nor the database's message.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as list from '@/app/api/v1/testimonies/route';
import { issueToken } from '@/lib/auth/tokens';
import { setLogSink } from '@/lib/log';
import { inTransaction } from '@/lib/scope';
import { orgWithActors } from './actors';
import { freshDatabase, type TestDatabase } from './db';
import { userRow } from './fixtures';

let database: TestDatabase;
let token: string;
const lines: string[] = [];
let restore: (line: string) => void;

beforeAll(async () => {
  database = await freshDatabase();
  const org = await orgWithActors('logs');
  const owner = await userRow(org.caseworker.userId);
  token = (await inTransaction((tx) => issueToken(tx, null, owner, 'logs', 1))).token;
  restore = setLogSink((line) => void lines.push(line));
});
afterAll(async () => {
  setLogSink(restore);
  await database.drop();
});
afterEach(async () => {
  await database.db.execute(sql`alter table if exists testimony_moved_away rename to testimony`);
});

const CODE = 'W-4M7P2X';

async function failingRequest(headers: Record<string, string>) {
  await database.db.execute(sql`alter table testimony rename to testimony_moved_away`);
  lines.length = 0;
  const req = new Request(`http://localhost/api/v1/testimonies?subject=${CODE}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const res = await list.GET(req, { params: Promise.resolve({}) });
  const body = (await res.json()) as { error: { code: string; message: string; requestId?: string } };
  return { res, body, logged: lines.map((l) => JSON.parse(l) as { level: string; msg: string; requestId?: string; err?: unknown }) };
}

describe('request id in error bodies and log lines', () => {
  it('keeps the id proxy.ts gave the request: in the 500 body, the x-request-id header and the one error line', async () => {
    const { res, body, logged } = await failingRequest({ 'x-request-id': 'f0e1d2c3-b4a5-4697-8877-665544332211' });
    expect(res.status).toBe(500);
    expect(body).toEqual({ error: { code: 'internal', message: 'Something went wrong on our side.', requestId: 'f0e1d2c3-b4a5-4697-8877-665544332211' } });
    expect(res.headers.get('x-request-id')).toBe('f0e1d2c3-b4a5-4697-8877-665544332211');
    const errors = logged.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'unexpected error', requestId: 'f0e1d2c3-b4a5-4697-8877-665544332211' });
    const text = JSON.stringify(errors[0]);
    expect(text).not.toContain(CODE);
    expect(text).not.toMatch(/Failed query|params|testimony_moved_away"? does not exist/);
    expect(text).toMatch(/"code":"42P01"/); // undefined_table: what an operator needs
  });

  it('makes up an id when there is none (or a malformed one), and the body and the log line agree on it', async () => {
    const { res, body, logged } = await failingRequest({ 'x-request-id': 'bad id" forged="yes' });
    expect(res.status).toBe(500);
    const id = body.error.requestId!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-request-id')).toBe(id);
    expect(logged.filter((l) => l.level === 'error').map((l) => l.requestId)).toEqual([id]);
  });

  it('puts the id on expected errors too, without logging them', async () => {
    lines.length = 0;
    const res = await list.GET(new Request('http://localhost/api/v1/testimonies', { headers: { authorization: 'Bearer tl_not_a_token', 'x-request-id': 'abcdefgh-1234' } }), { params: Promise.resolve({}) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { requestId: string } }).error.requestId).toBe('abcdefgh-1234');
    expect(lines.filter((l) => (JSON.parse(l) as { level: string }).level === 'error')).toEqual([]);
  });
});
