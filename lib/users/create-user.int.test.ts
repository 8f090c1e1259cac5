// Creating a user whose e-mail address is already taken. E-mail addresses are unique on the
// instance (sign-in takes the address alone), so an admin must be refused; what they may learn
// (README, "Security notes"): that the address cannot be used, never that it belongs to another
// organisation, which one, or the account's role or state. Each such refusal is audited.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent } from '@/db/schema';
import { actorOf, makeOrg, makeUser, userRow } from '@/test/fixtures';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import type { Actor } from '../access';
import { toErrorBody } from '../errors';
import { createUser, operatorDisableUser } from './index';

let database: TestDatabase;
let adminA: Actor;
let orgB: { id: string; slug: string };

const answerTo = (email: string, role: 'caseworker' | 'admin' = 'caseworker') =>
  createUser(adminA, { email, role }).then(
    () => 'created',
    (e: unknown) => JSON.stringify(toErrorBody(e, 'same-request').body),
  );

beforeAll(async () => {
  database = await freshDatabase();
  const orgA = await makeOrg('mail-a');
  orgB = await makeOrg('mail-b');
  adminA = await actorOf((await makeUser(orgA, 'admin')).id);
});
afterAll(() => database.drop());

describe(`e-mail addresses across organisations on ${testDbKind}`, () => {
  it("an address of another organisation's user gets a neutral 409: nothing says it is an account, where, or in which state", async () => {
    const active = await makeUser(orgB, 'reviewer');
    const disabled = await makeUser(orgB, 'admin');
    await operatorDisableUser(disabled.email);
    const before = await userRow(active.id);

    const answers = [await answerTo(active.email), await answerTo(disabled.email), await answerTo(active.email.toUpperCase(), 'admin')];
    expect(new Set(answers).size).toBe(1);
    const { error } = JSON.parse(answers[0]!) as { error: { code: string; message: string } };
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('This e-mail address cannot be used for a new account. Ask the person for another address, or the instance operator.');
    expect(answers[0]).not.toMatch(/exist|already|organi[sz]ation|disabled|reviewer|mail-b/i);
    expect(await userRow(active.id)).toEqual(before);
  });

  it('an address of a user of their own organisation says so (the admin sees that list anyway)', async () => {
    const colleague = await makeUser({ id: adminA.orgId, slug: adminA.orgSlug }, 'caseworker');
    const { error } = JSON.parse(await answerTo(colleague.email)) as { error: { message: string } };
    expect(error.message).toBe('A user of your organisation already has this e-mail address.');
  });

  it("each refusal of another organisation's address is audited in the admin's organisation, naming nothing of the other", async () => {
    const other = await makeUser(orgB, 'caseworker');
    await answerTo(other.email);
    const events = await database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'user.create_refused'), eq(auditEvent.actorId, adminA.userId)));
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.orgId).toBe(adminA.orgId);
      expect(JSON.stringify(e)).not.toContain(other.id);
      expect(JSON.stringify(e)).not.toContain(orgB.id);
      expect(JSON.stringify(e)).not.toContain(other.email);
    }
  });
});

describe(`trying addresses one after another on ${testDbKind}`, () => {
  it('is limited per admin: past the hourly limit of new-user attempts, 429 before any address is looked up', async () => {
    const { execRows } = await import('@/db');
    const { sql } = await import('drizzle-orm');
    const { effectiveLimit, RATE_LIMITS, rateKey } = await import('../http/rate-limit');
    const admin = await actorOf((await makeUser({ id: adminA.orgId, slug: adminA.orgSlug }, 'admin')).id);
    const rule = RATE_LIMITS.userCreate;
    expect(rule.windowSeconds).toBe(3600);
    await execRows(database.db, sql`insert into rate_limit (key, hits, window_ends_at) values (${rateKey(rule, admin.userId)}, ${effectiveLimit(rule)}, now() + interval '1 hour')`);
    const err = await createUser(admin, { email: `fresh-${crypto.randomUUID()}@a.example`, role: 'caseworker' }).catch((e: unknown) => e);
    expect(toErrorBody(err)).toMatchObject({ status: 429, headers: { 'retry-after': expect.stringMatching(/^\d+$/) } });
  });
});
