import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Request counters shared by every instance (lib/http/rate-limit.ts): one row per limit and
// client, for one fixed window. The key holds a keyed digest, never a raw address or token.
export const rateLimit = pgTable(
  'rate_limit',
  {
    key: text().primaryKey(),
    hits: integer().notNull(),
    windowEndsAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('rate_limit_window_ends_idx').on(t.windowEndsAt)],
);
