import 'server-only';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { appUser, organisation, recoveryCode } from '@/db/schema';
import { audit } from '../audit';
import { decrypt } from '../crypto/envelope';
import { RATE_LIMITS, takeHit } from '../http/rate-limit';
import { inTransaction } from '../scope';
import { dummyHash, verifyPassword } from './password';
import {
  ACCOUNT_MAX_FAILURES,
  accountKey,
  ADDRESS_MAX_FAILURES,
  addressKey,
  clearFailures,
  lockedFor,
  recordFailure,
  serialiseAttempts,
} from './throttle';
import { checkTotp, normaliseRecoveryCode, recoveryCodeHash } from './totp';

export interface SignInInput {
  email: string;
  password: string;
  code?: string;
  ip: string;
}

export type SignInResult =
  | { ok: true; userId: string; sessionVersion: number }
  | { ok: false; reason: 'invalid' | 'locked' | 'rate_limited'; retryAfterSeconds?: number };

export const totpPlace = (userId: string) => ({ table: 'app_user', column: 'totp_secret', rowId: userId });

/**
 * Checks a sign-in attempt: address, password and (for an account with a second factor) code in one
 * step. Unknown address, wrong password, disabled account, missing or wrong code all answer 'invalid'
 * and all count towards the lock, so the answer never says which accounts exist, nor that a guessed
 * password was right (asking for the code only then would).
 */
export async function attemptSignIn(input: SignInInput): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const keys = { account: accountKey(email), address: addressKey(input.ip) };
  // Every attempt from one address counts here, before any password is hashed; failures also count
  // towards the lockout below. Recorded in the audit log once per window, not once per refused attempt.
  const rate = await takeHit(RATE_LIMITS.signIn, input.ip);
  if (!rate.allowed) {
    if (rate.hits === rate.limit + 1) await inTransaction((tx) => audit(tx, null, { action: 'auth.sign_in.rate_limited', actorId: null, orgId: null }));
    return { ok: false, reason: 'rate_limited', retryAfterSeconds: rate.retryAfterSeconds };
  }
  return inTransaction(async (tx) => {
    await serialiseAttempts(tx, keys.account);
    const locked = await lockedFor(tx, [keys.account, keys.address]);
    const [found] = await tx
      .select({ user: appUser, orgId: organisation.id })
      .from(appUser)
      .innerJoin(organisation, eq(organisation.id, appUser.orgId))
      .where(eq(appUser.email, email));
    const user = found?.user;
    if (locked > 0) {
      await audit(tx, null, {
        action: 'auth.sign_in.refused_locked',
        actorId: user?.id ?? null,
        orgId: user?.orgId ?? null,
        entity: user ? 'user' : undefined,
        entityId: user?.id,
      });
      return { ok: false, reason: 'locked', retryAfterSeconds: locked };
    }

    const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyHash()), input.password);
    let failure: string | null = !user ? 'unknown_account' : !passwordOk ? 'wrong_password' : user.disabledAt ? 'disabled' : null;

    const code = (input.code ?? '').trim();
    if (!failure && user?.totpEnabledAt && !code) failure = 'missing_code';
    if (!failure && user && user.totpEnabledAt) {
      const secret = decrypt(user.totpSecret!, totpPlace(user.id));
      const step = await checkTotp(secret, code.replace(/\s/g, ''), user.totpLastStep);
      // Claims the time step in the row itself, so requests racing with one code cannot all pass.
      const [claimed] =
        step != null
          ? await tx
              .update(appUser)
              .set({ totpLastStep: step })
              .where(and(eq(appUser.id, user.id), or(isNull(appUser.totpLastStep), lt(appUser.totpLastStep, step))))
              .returning({ id: appUser.id })
          : [];
      if (!claimed) {
        const normalised = normaliseRecoveryCode(code);
        const [used] = normalised
          ? await tx
              .update(recoveryCode)
              .set({ usedAt: new Date() })
              .where(and(eq(recoveryCode.userId, user.id), eq(recoveryCode.codeHash, recoveryCodeHash(normalised)), isNull(recoveryCode.usedAt)))
              .returning({ id: recoveryCode.id })
          : [];
        if (used) await audit(tx, null, { action: 'auth.recovery_code.used', actorId: user.id, orgId: user.orgId, entity: 'user', entityId: user.id });
        else failure = 'wrong_code';
      }
    }

    if (failure || !user) {
      const accountLocked = await recordFailure(tx, keys.account, ACCOUNT_MAX_FAILURES);
      const addressLocked = await recordFailure(tx, keys.address, ADDRESS_MAX_FAILURES);
      const who = { actorId: user?.id ?? null, orgId: user?.orgId ?? null, entity: user ? 'user' : undefined, entityId: user?.id };
      await audit(tx, null, { action: 'auth.sign_in.failed', ...who, details: { reason: failure ?? 'unknown_account' } });
      if (accountLocked || addressLocked) {
        await audit(tx, null, { action: 'auth.lockout', ...who, details: { by: accountLocked ? 'account' : 'address' } });
      }
      return { ok: false, reason: 'invalid' };
    }

    await clearFailures(tx, keys.account);
    await tx.update(appUser).set({ lastSignInAt: new Date() }).where(eq(appUser.id, user.id));
    await audit(tx, null, { action: 'auth.sign_in', actorId: user.id, orgId: user.orgId, entity: 'user', entityId: user.id });
    return { ok: true, userId: user.id, sessionVersion: user.sessionVersion };
  });
}
