import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Append-only and hash-chained; triggers in a hand-written migration refuse UPDATE, DELETE, TRUNCATE.
// Ids are gapless from the first checkpoint on: lib/audit gives each event the previous id + 1.
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

// Signed checkpoints of the chain (lib/audit/checkpoint.ts): what a superuser who can bypass the
// triggers cannot forge. Append-only like the events; ids are gapless (1, 2, 3…), as the events' are.
export const auditCheckpoint = pgTable('audit_checkpoint', {
  id: bigint({ mode: 'number' }).primaryKey(),
  lastEventId: bigint({ mode: 'number' }).notNull().unique('audit_checkpoint_last_event_id_unique'),
  eventCount: bigint({ mode: 'number' }).notNull(),
  chainHash: text().notNull(),
  at: timestamp({ withTimezone: true, precision: 3 }).notNull(),
  everyEvents: integer().notNull(),
  everyMinutes: integer().notNull(),
  publicKey: text().notNull(),
  signature: text().notNull(),
});

export type AuditCheckpoint = typeof auditCheckpoint.$inferSelect;
