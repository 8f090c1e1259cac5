import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { appUser, auditEvent } from '@/db/schema';
import { assertCan, type Actor } from '../access';
import { inOrg } from '../scope';
import { listOrgEvents, type AuditFilter } from './index';

/** The admin page: the organisation's events with filters, the actions seen, and who is who. */
export async function listAuditEvents(actor: Actor, filter: AuditFilter) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'audit.read', { orgId });
    const events = await listOrgEvents(tx, orgId, filter);
    const actionRows = await tx
      .selectDistinct({ action: auditEvent.action })
      .from(auditEvent)
      .where(eq(auditEvent.orgId, orgId))
      .orderBy(sql`1`);
    const people = await tx.select({ id: appUser.id, email: appUser.email }).from(appUser).where(eq(appUser.orgId, orgId));
    return { events, actions: actionRows.map((r) => r.action), actors: new Map(people.map((p) => [p.id, p.email])) };
  });
}
