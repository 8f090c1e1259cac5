import 'server-only';
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { db, execRows, type Db } from '@/db';
import { env } from '../env';
import { RateLimited } from '../errors';
import { authSecret } from '../secrets';

export interface RateRule {
  /** Part of the stored key: two rules never share a counter. */
  name: string;
  /** Requests allowed per window (before RATE_LIMIT_SCALE). */
  limit: number;
  windowSeconds: number;
}

/**
 * Every request limit of the app, per client address or per API token, counted in PostgreSQL so
 * that all instances share them. Fixed windows: a client may get up to twice the limit across a
 * window boundary, never more. RATE_LIMIT_SCALE multiplies them all (tests and load runs).
 * The sign-in lockout (lib/auth/throttle.ts) is separate: it counts failures per account and address.
 */
export const RATE_LIMITS = {
  /** Sign-in attempts per client address, right or wrong, counted before the password is checked. */
  signIn: { name: 'sign-in', limit: 20, windowSeconds: 60 },
  /** Requests per API token (Bearer), whatever the route. */
  apiToken: { name: 'api-token', limit: 600, windowSeconds: 60 },
  /**
   * Requests per signed-in user (cookie session) to the expensive routes: aggregates (API, page, CSV),
   * imports, exports and source search. Each aggregate is computed and audited; a human clicks far less.
   */
  sessionExpensive: { name: 'session-expensive', limit: 120, windowSeconds: 60 },
  /** Public downloads (/summaries/{slug}.csv|.json) and the public API (/api/v1/summaries…) per client address. */
  publicRead: { name: 'public-read', limit: 300, windowSeconds: 60 },
  /** New-user attempts per admin (web): trying addresses one after another is slow (lib/users). */
  userCreate: { name: 'user-create', limit: 30, windowSeconds: 3600 },
} as const satisfies Record<string, RateRule>;

export interface RateDecision {
  allowed: boolean;
  /** Requests counted in this window, this one included. */
  hits: number;
  limit: number;
  /** Seconds until the window ends (at least 1). */
  retryAfterSeconds: number;
}

/** The stored key: a digest under the server secret, so the table never holds an address or a token id. */
export function rateKey(rule: RateRule, subject: string): string {
  return `${rule.name}:${createHmac('sha256', authSecret()).update(`rate|${rule.name}|${subject}`).digest('base64url').slice(0, 32)}`;
}

export const effectiveLimit = (rule: RateRule, scale = env.RATE_LIMIT_SCALE) => Math.max(1, Math.floor(rule.limit * scale));

/**
 * Counts one request of `subject` under `rule` and says whether it may go on. One statement, so
 * parallel requests on any number of instances each get their own count (the row lock orders them).
 * Run it on its own, not inside a longer transaction, or the row stays locked until that commits.
 */
export async function takeHit(rule: RateRule, subject: string, opts: { database?: Db; scale?: number } = {}): Promise<RateDecision> {
  const database = opts.database ?? (await db());
  const limit = effectiveLimit(rule, opts.scale);
  const window = sql`(${rule.windowSeconds}::int * interval '1 second')`;
  const [row] = await execRows<{ hits: number; retry_after: number }>(
    database,
    sql`insert into rate_limit as r (key, hits, window_ends_at)
        values (${rateKey(rule, subject)}, 1, now() + ${window})
        on conflict (key) do update set
          hits = case when r.window_ends_at <= now() then 1 else r.hits + 1 end,
          window_ends_at = case when r.window_ends_at <= now() then now() + ${window} else r.window_ends_at end
        returning r.hits, greatest(1, ceil(extract(epoch from (r.window_ends_at - now()))))::int as retry_after`,
  );
  await sweepNowAndThen(database);
  const hits = Number(row!.hits);
  return { allowed: hits <= limit, hits, limit, retryAfterSeconds: Number(row!.retry_after) };
}

/** Throws RateLimited (429 with Retry-After) once `subject` is over the limit of `rule`. */
export async function enforceRateLimit(rule: RateRule, subject: string): Promise<void> {
  const decision = await takeHit(rule, subject);
  if (!decision.allowed) throw new RateLimited(decision.retryAfterSeconds);
}

/** Deletes counters whose window ended more than a minute ago; rows another request holds are left for the next sweep. */
export async function sweepRateLimits(database?: Db): Promise<number> {
  const rows = await execRows<{ key: string }>(
    database ?? (await db()),
    sql`delete from rate_limit where key in (
          select key from rate_limit where window_ends_at < now() - interval '1 minute' limit 1000 for update skip locked)
        returning key`,
  );
  return rows.length;
}

const SWEEP_EVERY_MS = 60_000;
const sweeper = globalThis as unknown as { __ledgerRateSweep?: number };

async function sweepNowAndThen(database: Db) {
  const now = Date.now();
  if (now - (sweeper.__ledgerRateSweep ?? 0) < SWEEP_EVERY_MS) return;
  sweeper.__ledgerRateSweep = now;
  await sweepRateLimits(database).catch(() => {}); // a missed sweep only leaves rows for the next one
}
