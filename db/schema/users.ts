import { bigint, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisation } from './organisations';

// "public" is not stored: it is the absence of a signed-in user.
export const roleEnum = pgEnum('role', ['researcher', 'caseworker', 'reviewer', 'admin']);

export const appUser = pgTable(
  'app_user',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull().references(() => organisation.id),
    email: text().notNull(), // stored lower-cased; never a worker's name, only staff
    passwordHash: text().notNull(),
    role: roleEnum().notNull(),
    totpSecret: text(), // encrypted envelope (lib/crypto)
    totpEnabledAt: timestamp({ withTimezone: true }),
    totpLastStep: bigint({ mode: 'number' }), // refuses a code replayed within its window
    disabledAt: timestamp({ withTimezone: true }),
    // Bumped on role change, disable, password reset and "sign out everywhere":
    // sessions and tokens carry the version they were issued under and stop when it moves.
    sessionVersion: integer().notNull().default(1),
    lastSignInAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('app_user_email_key').on(t.email), index('app_user_org_idx').on(t.orgId)],
);

export const recoveryCode = pgTable(
  'recovery_code',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull().references(() => appUser.id, { onDelete: 'cascade' }),
    codeHash: text().notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('recovery_code_user_idx').on(t.userId)],
);

// Failed sign-in counters, keyed by e-mail address (whether or not the account exists, so the
// answer never tells an attacker which addresses are registered) and by client address, each as a
// keyed digest (lib/auth/throttle.ts): neither address is stored.
// In the database, not in memory, so every app instance shares them.
export const signInThrottle = pgTable('sign_in_throttle', {
  key: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  failures: integer().notNull().default(0),
  lockedUntil: timestamp({ withTimezone: true }),
});

export type User = typeof appUser.$inferSelect;
export type Role = (typeof roleEnum.enumValues)[number];

// Sessions are signed cookies; signing out records the session id here so a copy of the cookie
// (or one re-issued by a request already in flight) is refused until it would have expired anyway.
export const endedSession = pgTable(
  'ended_session',
  {
    sessionId: uuid().primaryKey(),
    userId: uuid().notNull().references(() => appUser.id, { onDelete: 'cascade' }),
    endedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('ended_session_expires_idx').on(t.expiresAt)],
);
