import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Append-only and hash-chained; triggers in a hand-written migration refuse UPDATE, DELETE, TRUNCATE.
// No foreign keys: the log must outlive anything it mentions.
export const auditEvent = pgTable(
  'audit_event',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    at: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    actorId: uuid(),
    actorRole: text(),
    orgId: uuid(),
    action: text().notNull(),
    entity: text(),
    entityId: text(),
    details: jsonb().$type<Record<string, unknown>>().notNull(),
    prevHash: text().notNull(),
    hash: text().notNull().unique(),
  },
  (t) => [index('audit_event_org_idx').on(t.orgId, t.id), index('audit_event_action_idx').on(t.action)],
);

export type AuditEvent = typeof auditEvent.$inferSelect;
