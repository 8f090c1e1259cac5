// Tokens and sessions an attacker might hold on to, through the API as a client sees it: each is
// refused on the very next request, with one message whatever the reason (nothing tells a stolen
// revoked token from an invented one). lib/auth/tokens.int.test.ts and lib/actor.int.test.ts cover
// the lib side of each cause; here the route handlers answer.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '@/db';
import { apiToken } from '@/db/schema';
import { revokeToken } from '@/lib/account';
import { issueToken } from '@/lib/auth/tokens';
import { inTransaction } from '@/lib/scope';
import { changeRole, disableUser } from '@/lib/users';
import { freshDatabase, testDbKind, type TestDatabase } from '../db';
import { makeUser, userRow } from '../fixtures';
import { securityOrg, type Org } from './fixtures';
import { call } from './routes';

const session = vi.hoisted(() => ({ current: null as null | { uid: string; sv: number; authTime: number; sid: string } }));
vi.mock('@/lib/auth/config', async (original) => ({ ...(await original<typeof import('@/lib/auth/config')>()), auth: async () => session.current }));

let database: TestDatabase;
let A: Org;

beforeAll(async () => {
  database = await freshDatabase();
  A = await securityOrg('ses-a');
});
afterAll(() => database.drop());

async function freshToken(role: 'caseworker' | 'admin' = 'caseworker') {
  const user = await makeUser({ id: A.orgId, slug: A.slug }, role);
  const owner = await userRow(user.id);
  const { id, token } = await inTransaction((tx) => issueToken(tx, null, owner, 'held', 30));
  return { userId: user.id, tokenId: id, token };
}
const me = (token: string) => call('app/api/v1/me/route.ts', 'GET', { token });
const list = (token: string) => call('app/api/v1/testimonies/route.ts', 'GET', { token });

describe(`session and token attacks on ${testDbKind}`, () => {
  const causes: [string, (t: Awaited<ReturnType<typeof freshToken>>) => Promise<unknown>][] = [
    ['revoked by an admin', (t) => revokeToken(A.admin, t.tokenId)],
    ['expired', async (t) => (await db()).update(apiToken).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiToken.id, t.tokenId))],
    ['its owner disabled', (t) => disableUser(A.admin, t.userId)],
    ['its owner downgraded to researcher', (t) => changeRole(A.admin, t.userId, 'researcher')],
  ];
  let refusal: string | undefined;
  for (const [what, end] of causes) {
    it(`a token ${what} is refused on the next request, with the same answer as an invented one`, async () => {
      const t = await freshToken();
      expect((await list(t.token)).status).toBe(200);
      await end(t);
      for (const res of [await me(t.token), await list(t.token)]) {
        expect(res.status).toBe(401);
        const text = await res.text();
        refusal ??= text;
        expect(text).toBe(refusal);
      }
    });
  }

  it('an invented token of the right shape answers like all of those', async () => {
    const invented = `tl_${'A'.repeat(43)}`;
    const res = await me(invented);
    expect(res.status).toBe(401);
    expect(await res.text()).toBe(refusal);
  });

  it('a bad Bearer header never falls back to the session cookie riding along', async () => {
    const admin = await userRow(A.admin.userId);
    session.current = { uid: admin.id, sv: admin.sessionVersion, authTime: Math.floor(Date.now() / 1000), sid: crypto.randomUUID() };
    try {
      for (const authorization of ['Bearer nope', 'Basic YWRtaW46YWRtaW4=', 'Bearer', `Bearer tl_${'A'.repeat(43)}`, 'bearer  ']) {
        const res = await call('app/api/v1/me/route.ts', 'GET', { headers: { authorization } });
        expect(res.status, authorization).toBe(401);
      }
    } finally {
      session.current = null;
    }
  });

  it('a cookie session cannot pass the cross-site check with its own X-Forwarded-Host when no proxy is trusted (TRUST_PROXY=0)', async () => {
    const caseworker = await userRow(A.caseworker.userId);
    session.current = { uid: caseworker.id, sv: caseworker.sessionVersion, authTime: Math.floor(Date.now() / 1000), sid: crypto.randomUUID() };
    const post = (headers: Record<string, string>) =>
      call('app/api/v1/testimonies/route.ts', 'POST', { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ consent: { scopes: ['internal'], method: 'oral' } }) });
    try {
      const forged = await post({ host: 'ledger.example.org', origin: 'https://evil.example', 'x-forwarded-host': 'evil.example' });
      expect(forged.status).toBe(403);
      expect(await forged.json()).toMatchObject({ error: { code: 'forbidden', message: 'Cross-site request refused.' } });
      // The real host still works, whatever X-Forwarded-Host says.
      expect((await post({ host: 'ledger.example.org', origin: 'https://ledger.example.org', 'x-forwarded-host': 'evil.example' })).status).toBe(201);
    } finally {
      session.current = null;
    }
  });

  it('an admin session whose role was changed is refused on the next request (no cached role)', async () => {
    const t = await freshToken('admin');
    const user = await userRow(t.userId);
    session.current = { uid: t.userId, sv: user.sessionVersion, authTime: Math.floor(Date.now() / 1000), sid: crypto.randomUUID() };
    try {
      // Reviewers and admins need a second factor; the pending state answers 403 before anything else.
      const before = await call('app/api/v1/me/route.ts', 'GET');
      expect([200, 403]).toContain(before.status);
      await changeRole(A.admin, t.userId, 'caseworker');
      const after = await call('app/api/v1/me/route.ts', 'GET');
      expect(after.status).toBe(401);
    } finally {
      session.current = null;
    }
  });
});
