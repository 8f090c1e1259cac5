import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisation } from './organisations';
import { appUser } from './users';

export const apiToken = pgTable(
  'api_token',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull().references(() => organisation.id),
    userId: uuid().notNull().references(() => appUser.id),
    name: text().notNull(),
    tokenHash: text().notNull().unique(), // SHA-256 of the whole token; the token itself is shown once
    hint: text().notNull(), // prefix and last characters, to recognise a token in lists
    sessionVersion: integer().notNull(), // owner's version at creation: a bump stops the token
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('api_token_org_idx').on(t.orgId), index('api_token_user_idx').on(t.userId)],
);

export type ApiToken = typeof apiToken.$inferSelect;
