import { createHash, randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '@/db';
import { actorOf, auditActionsFor, makeOrg, makeUser, PASSWORD, uniq, userRow } from '@/test/fixtures';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { beginTotpEnrolment, confirmTotpEnrolment, pendingTotpEnrolment } from '../account';
import { operatorDisableUser } from '../users';
import { attemptSignIn } from './sign-in';
import { ACCOUNT_MAX_FAILURES, accountKey, ADDRESS_MAX_FAILURES, LOCK_MINUTES, WINDOW_MINUTES } from './throttle';

let database: TestDatabase;
let org: { id: string; slug: string };
beforeAll(async () => {
  database = await freshDatabase();
  org = await makeOrg('signin');
});
afterAll(() => database.drop());

/** Each test signs in from its own address, so the per-address counter of one test never touches another. */
const newIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

async function fail(email: string, ip: string, times: number) {
  for (let i = 0; i < times; i++) {
    expect(await attemptSignIn({ email, password: 'not the password at all', ip })).toEqual({ ok: false, reason: 'invalid' });
  }
}

async function failuresOf(key: string): Promise<number | null> {
  const [row] = await execRows<{ failures: number }>(database.db, sql`select failures from sign_in_throttle where key = ${key}`);
  return row ? Number(row.failures) : null;
}

async function moveWindowBack(key: string, minutes: number) {
  await database.db.execute(sql`update sign_in_throttle set window_start = now() - make_interval(mins => ${minutes}) where key = ${key}`);
}

/** Enrols a second factor through the account pages' own functions; returns the secret and the recovery codes. */
async function enrolTotp(userId: string) {
  const actor = await actorOf(userId);
  await beginTotpEnrolment(actor);
  const pending = await pendingTotpEnrolment(actor);
  if (!pending) throw new Error('no enrolment pending');
  const { recoveryCodes } = await confirmTotpEnrolment(actor, generateSync({ secret: pending.secret }));
  return { secret: pending.secret, recoveryCodes };
}

describe(`sign-in on ${testDbKind}`, () => {
  it('accepts the right password, case-insensitively by e-mail, and records the sign-in', async () => {
    const user = await makeUser(org, 'caseworker');
    const result = await attemptSignIn({ email: `  ${user.email.toUpperCase()} `, password: PASSWORD, ip: newIp() });
    expect(result).toEqual({ ok: true, userId: user.id, sessionVersion: 1 });
    expect((await userRow(user.id)).lastSignInAt).not.toBeNull();
    expect(await auditActionsFor(user.id)).toContain('auth.sign_in');
  });

  it('answers a wrong password and an unknown e-mail alike', async () => {
    const user = await makeUser(org, 'caseworker');
    const wrongPassword = await attemptSignIn({ email: user.email, password: 'wrong password, long enough', ip: newIp() });
    const unknown = await attemptSignIn({ email: `nobody-${uniq()}@nowhere.example`, password: PASSWORD, ip: newIp() });
    expect(wrongPassword).toEqual({ ok: false, reason: 'invalid' });
    expect(unknown).toEqual(wrongPassword);
    const [failed] = await execRows<{ details: { reason: string } }>(
      database.db,
      sql`select details from audit_event where action = 'auth.sign_in.failed' and entity_id = ${user.id}`,
    );
    expect(failed?.details.reason).toBe('wrong_password');
  });

  it(`locks an account after ${ACCOUNT_MAX_FAILURES} failures: the right password is then refused too`, async () => {
    const user = await makeUser(org, 'caseworker');
    const ip = newIp();
    await fail(user.email, ip, ACCOUNT_MAX_FAILURES);
    const result = await attemptSignIn({ email: user.email, password: PASSWORD, ip: newIp() });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('locked');
    expect(result.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(result.retryAfterSeconds).toBeLessThanOrEqual(LOCK_MINUTES * 60);
    const actions = await auditActionsFor(user.id);
    expect(actions.filter((a) => a === 'auth.sign_in.failed')).toHaveLength(ACCOUNT_MAX_FAILURES);
    expect(actions.filter((a) => a === 'auth.lockout')).toHaveLength(1);
    expect(actions).not.toContain('auth.sign_in');
  });

  it('parallel guesses get no more tries than sequential ones', async () => {
    const user = await makeUser(org, 'caseworker');
    const results = await Promise.all(
      Array.from({ length: 3 * ACCOUNT_MAX_FAILURES }, (_, i) => attemptSignIn({ email: user.email, password: `guess number ${i} is wrong`, ip: newIp() })),
    );
    expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(ACCOUNT_MAX_FAILURES);
    expect(results.filter((r) => !r.ok && r.reason === 'locked')).toHaveLength(2 * ACCOUNT_MAX_FAILURES);
    expect(await attemptSignIn({ email: user.email, password: PASSWORD, ip: newIp() })).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('four failures do not lock', async () => {
    const user = await makeUser(org, 'caseworker');
    await fail(user.email, newIp(), ACCOUNT_MAX_FAILURES - 1);
    expect((await attemptSignIn({ email: user.email, password: PASSWORD, ip: newIp() })).ok).toBe(true);
  });

  it('locks an unknown e-mail address the same way (no account enumeration)', async () => {
    const email = `ghost-${uniq()}@nowhere.example`;
    await fail(email, newIp(), ACCOUNT_MAX_FAILURES);
    const result = await attemptSignIn({ email, password: PASSWORD, ip: newIp() });
    expect(result).toMatchObject({ ok: false, reason: 'locked' });
    expect(await failuresOf(accountKey(email))).not.toBeNull();
  });

  it('the throttle table holds neither the client address nor the e-mail address, nor a plain hash of either: keyed digests', async () => {
    const ip = `203.0.113.${randomInt(1, 255)}`;
    const email = `digest-${uniq()}@nowhere.example`;
    await fail(email, ip, 1);
    const keys = (await execRows<{ key: string }>(database.db, sql`select key from sign_in_throttle`)).map((r) => r.key);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    const plain = [ip, email, ...['sha256', 'sha1', 'md5'].flatMap((alg) => [ip, email].flatMap((v) => [createHash(alg).update(v).digest('hex'), createHash(alg).update(v).digest('base64url')]))];
    for (const key of keys) for (const p of plain) expect(key.includes(p), `${key} holds ${p}`).toBe(false);
    expect(await failuresOf(accountKey(email))).toBe(1);
  });

  it(`locks a client address after ${ADDRESS_MAX_FAILURES} failures across different accounts`, async () => {
    const ip = newIp();
    const user = await makeUser(org, 'caseworker');
    // Never more than one failure per account, so only the address counter can lock.
    for (let i = 0; i < ADDRESS_MAX_FAILURES; i++) {
      expect(await attemptSignIn({ email: `spray-${i}-${uniq()}@nowhere.example`, password: PASSWORD, ip })).toEqual({ ok: false, reason: 'invalid' });
    }
    const fromThatAddress = await attemptSignIn({ email: user.email, password: PASSWORD, ip });
    expect(fromThatAddress).toMatchObject({ ok: false, reason: 'locked' });
    // The account itself is not locked: from elsewhere it signs in.
    expect((await attemptSignIn({ email: user.email, password: PASSWORD, ip: newIp() })).ok).toBe(true);
  });

  it(`starts the count over when the window is older than ${WINDOW_MINUTES} minutes`, async () => {
    const user = await makeUser(org, 'caseworker');
    const key = accountKey(user.email);
    await fail(user.email, newIp(), ACCOUNT_MAX_FAILURES - 1);
    await moveWindowBack(key, WINDOW_MINUTES + 1);
    await fail(user.email, newIp(), 1);
    expect(await failuresOf(key)).toBe(1);
    await fail(user.email, newIp(), ACCOUNT_MAX_FAILURES - 2);
    expect((await attemptSignIn({ email: user.email, password: PASSWORD, ip: newIp() })).ok).toBe(true);
  });

  it(`keeps counting within the ${WINDOW_MINUTES}-minute window`, async () => {
    const user = await makeUser(org, 'caseworker');
    const key = accountKey(user.email);
    await fail(user.email, newIp(), ACCOUNT_MAX_FAILURES - 1);
    await moveWindowBack(key, WINDOW_MINUTES - 1);
    await fail(user.email, newIp(), 1);
    expect(await attemptSignIn({ email: user.email, password: PASSWORD, ip: newIp() })).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('a successful sign-in clears the account counter', async () => {
    const user = await makeUser(org, 'caseworker');
    const key = accountKey(user.email);
    await fail(user.email, newIp(), ACCOUNT_MAX_FAILURES - 1);
    expect(await failuresOf(key)).toBe(ACCOUNT_MAX_FAILURES - 1);
    expect((await attemptSignIn({ email: user.email, password: PASSWORD, ip: newIp() })).ok).toBe(true);
    expect(await failuresOf(key)).toBeNull();
    await fail(user.email, newIp(), ACCOUNT_MAX_FAILURES - 1);
    expect((await attemptSignIn({ email: user.email, password: PASSWORD, ip: newIp() })).ok).toBe(true);
  });

  it('refuses a disabled user with the right password as plain "invalid"', async () => {
    const user = await makeUser(org, 'caseworker');
    await operatorDisableUser(user.email);
    expect(await attemptSignIn({ email: user.email, password: PASSWORD, ip: newIp() })).toEqual({ ok: false, reason: 'invalid' });
    const [failed] = await execRows<{ details: { reason: string } }>(
      database.db,
      sql`select details from audit_event where action = 'auth.sign_in.failed' and entity_id = ${user.id}`,
    );
    expect(failed?.details.reason).toBe('disabled');
  });

  describe('with a second factor', () => {
    it('checks password and code in one step: a missing code answers "invalid" like a wrong password, and counts', async () => {
      const user = await makeUser(org, 'reviewer');
      const { secret } = await enrolTotp(user.id);
      const ip = newIp();
      const signIn = (code?: string) => attemptSignIn({ email: user.email, password: PASSWORD, code, ip });

      // No answer may confirm a password guess: the right password without a code reads as a wrong one.
      expect(await signIn()).toEqual({ ok: false, reason: 'invalid' });
      expect(await signIn('   ')).toEqual({ ok: false, reason: 'invalid' });
      expect(await attemptSignIn({ email: user.email, password: 'wrong password, long enough', ip })).toEqual({ ok: false, reason: 'invalid' });

      // The enrolment used the current time step, so sign in with the next one (inside the tolerance).
      const epoch = Math.floor(Date.now() / 1000) + 30;
      const code = generateSync({ secret, epoch });
      const valid = new Set([-30, 0, 30, 60].map((d) => generateSync({ secret, epoch: epoch + d })));
      let wrong = code;
      while (valid.has(wrong)) wrong = String(randomInt(1_000_000)).padStart(6, '0');
      expect(await signIn(wrong)).toEqual({ ok: false, reason: 'invalid' });

      expect(await signIn(code)).toEqual({ ok: true, userId: user.id, sessionVersion: 1 });
      expect(await signIn(code)).toEqual({ ok: false, reason: 'invalid' });
      const actions = await auditActionsFor(user.id);
      expect(actions.filter((a) => a === 'auth.sign_in')).toHaveLength(1);
      expect(actions.filter((a) => a === 'auth.sign_in.failed')).toHaveLength(5);
    });

    it(`the right password without a code counts toward the lock like any failure: after ${ACCOUNT_MAX_FAILURES}, even the right code is refused`, async () => {
      const user = await makeUser(org, 'admin');
      const { secret } = await enrolTotp(user.id);
      for (let i = 0; i < ACCOUNT_MAX_FAILURES; i++) {
        expect(await attemptSignIn({ email: user.email, password: PASSWORD, ip: newIp() })).toEqual({ ok: false, reason: 'invalid' });
      }
      const code = generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
      expect(await attemptSignIn({ email: user.email, password: PASSWORD, code, ip: newIp() })).toMatchObject({ ok: false, reason: 'locked' });
      const [failed] = await execRows<{ details: { reason: string } }>(
        database.db,
        sql`select details from audit_event where action = 'auth.sign_in.failed' and entity_id = ${user.id} limit 1`,
      );
      expect(failed?.details.reason).toBe('missing_code');
    });

    it('the same code sent twice at the same moment signs in only once', async () => {
      const user = await makeUser(org, 'reviewer');
      const { secret } = await enrolTotp(user.id);
      const code = generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
      const results = await Promise.all(
        Array.from({ length: 4 }, () => attemptSignIn({ email: user.email, password: PASSWORD, code, ip: newIp() })),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    });

    it('the enrolment code itself cannot be replayed to sign in', async () => {
      const user = await makeUser(org, 'admin');
      const actor = await actorOf(user.id);
      await beginTotpEnrolment(actor);
      const pending = await pendingTotpEnrolment(actor);
      const code = generateSync({ secret: pending!.secret });
      await confirmTotpEnrolment(actor, code);
      const step = (await userRow(user.id)).totpLastStep;
      expect(step).not.toBeNull();
      const result = await attemptSignIn({ email: user.email, password: PASSWORD, code, ip: newIp() });
      // Its time step is spent: even while the code is inside the tolerance window it is refused.
      expect(result).toEqual({ ok: false, reason: 'invalid' });
    });

    it('accepts a recovery code exactly once, in any case and spacing', async () => {
      const user = await makeUser(org, 'reviewer');
      const { recoveryCodes } = await enrolTotp(user.id);
      expect(recoveryCodes).toHaveLength(10);
      const [first, second] = recoveryCodes as [string, string];
      const ip = newIp();
      expect(await attemptSignIn({ email: user.email, password: PASSWORD, code: first, ip })).toMatchObject({ ok: true, userId: user.id });
      expect(await attemptSignIn({ email: user.email, password: PASSWORD, code: first, ip })).toEqual({ ok: false, reason: 'invalid' });
      const sloppy = ` ${second.toLowerCase().replaceAll('-', ' ')} `;
      expect(await attemptSignIn({ email: user.email, password: PASSWORD, code: sloppy, ip })).toMatchObject({ ok: true });
      const actions = await auditActionsFor(user.id);
      expect(actions.filter((a) => a === 'auth.recovery_code.used')).toHaveLength(2);
      const [left] = await execRows<{ n: number }>(database.db, sql`select count(*)::int as n from recovery_code where user_id = ${user.id} and used_at is null`);
      expect(Number(left?.n)).toBe(8);
    });

    it('a recovery code needs the right password', async () => {
      const user = await makeUser(org, 'reviewer');
      const { recoveryCodes } = await enrolTotp(user.id);
      const code = recoveryCodes[0]!;
      expect(await attemptSignIn({ email: user.email, password: 'wrong password, long enough', code, ip: newIp() })).toEqual({ ok: false, reason: 'invalid' });
      expect(await attemptSignIn({ email: user.email, password: PASSWORD, code, ip: newIp() })).toMatchObject({ ok: true });
    });

    it('wrong codes count towards the lock', async () => {
      const user = await makeUser(org, 'reviewer');
      await enrolTotp(user.id);
      for (let i = 0; i < ACCOUNT_MAX_FAILURES; i++) {
        expect(await attemptSignIn({ email: user.email, password: PASSWORD, code: 'AAAA-BBBB-CCCC-DDDD', ip: newIp() })).toEqual({ ok: false, reason: 'invalid' });
      }
      expect(await attemptSignIn({ email: user.email, password: PASSWORD, code: '123456', ip: newIp() })).toMatchObject({ ok: false, reason: 'locked' });
      expect(await auditActionsFor(user.id)).toContain('auth.lockout');
    });
  });
});
