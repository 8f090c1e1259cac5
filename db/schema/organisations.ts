import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const organisation = pgTable('organisation', {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  contact: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type Organisation = typeof organisation.$inferSelect;
