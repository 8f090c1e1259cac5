import 'server-only';
import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { signInThrottle } from '@/db/schema';
import { authSecret } from '../secrets';

export const WINDOW_MINUTES = 15;
export const LOCK_MINUTES = 15;
export const ACCOUNT_MAX_FAILURES = 5;
export const ADDRESS_MAX_FAILURES = 30;

// Stored keys are digests under the server secret (as lib/http/rate-limit.ts does): a copy of the
// table holds no client address and no e-mail address, and a plain hash of either would be undone by
// hashing every address or a list of likely e-mail addresses.
const digest = (kind: string, value: string) => createHmac('sha256', authSecret()).update(`sign-in|${kind}|${value}`).digest('base64url').slice(0, 32);

/** Keyed by the e-mail address typed, so unknown and known accounts behave alike. */
export const accountKey = (email: string) => `acct:${digest('account', email)}`;
export const addressKey = (ip: string) => `ip:${digest('address', ip)}`;

// Any constant works: the first half of a two-part advisory lock key, the second is the key's hash.
const ATTEMPT_LOCK_CLASS = 7_201_546;

/** Makes attempts on one key wait for each other, so parallel guesses cannot all pass the check before any is counted. */
export async function serialiseAttempts(tx: Tx, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ATTEMPT_LOCK_CLASS}::int, hashtext(${key}))`);
}

/** Seconds until the longest lock among `keys` ends; 0 when none is locked. */
export async function lockedFor(tx: Tx, keys: string[]): Promise<number> {
  let longest = 0;
  for (const key of keys) {
    const [row] = await tx
      .select({ left: sql<number>`ceil(extract(epoch from (${signInThrottle.lockedUntil} - now())))::int` })
      .from(signInThrottle)
      .where(eq(signInThrottle.key, key));
    if (row && row.left > longest) longest = row.left;
  }
  return longest;
}

/** Counts a failure; a window older than 15 minutes starts over. Returns true when this failure locks the key. */
export async function recordFailure(tx: Tx, key: string, max: number): Promise<boolean> {
  const window = sql.raw(`interval '${WINDOW_MINUTES} minutes'`);
  const lock = sql.raw(`interval '${LOCK_MINUTES} minutes'`);
  const [row] = await tx
    .insert(signInThrottle)
    .values({ key, windowStart: sql`now()`, failures: 1 })
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures: sql`case when ${signInThrottle.windowStart} < now() - ${window} then 1 else ${signInThrottle.failures} + 1 end`,
        windowStart: sql`case when ${signInThrottle.windowStart} < now() - ${window} then now() else ${signInThrottle.windowStart} end`,
      },
    })
    .returning({ failures: signInThrottle.failures });
  if (!row || row.failures < max) return false;
  await tx
    .update(signInThrottle)
    .set({ lockedUntil: sql`now() + ${lock}`, failures: 0, windowStart: sql`now()` })
    .where(eq(signInThrottle.key, key));
  return true;
}

export async function clearFailures(tx: Tx, key: string): Promise<void> {
  await tx.delete(signInThrottle).where(eq(signInThrottle.key, key));
}
