import { createHash } from 'node:crypto';

/** The fields of an event that its hash covers, in a fixed order. */
export interface ChainedFields {
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  orgId: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  details: Record<string, unknown>;
}

export const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted at every depth: jsonb does not keep key order, so the hash must not depend on it. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function eventHash(prevHash: string, e: ChainedFields): string {
  const body = canonicalJson({
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorRole: e.actorRole,
    orgId: e.orgId,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    details: e.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
