import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { sourceReport, subject, testimony, testimonySource } from '@/db/schema';
import { assertCan, type Actor } from '../access';
import { audit } from '../audit';
import { decrypt, encrypt } from '../crypto/envelope';
import { Conflict, NotFound, problem } from '../errors';
import { NewSourceLink } from '../claims/input';
import { inOrg } from '../scope';
import { loadVisible, visibleTo } from './index';

// Link notes are about a worker's account: encrypted like the testimony's own notes.
const notePlace = (rowId: string) => ({ table: 'testimony_source', column: 'note', rowId });

/** Links a testimony of the actor's organisation to a report it may see, with a relation and a note. */
export async function linkSource(actor: Actor, rawTestimonyId: string, raw: z.input<typeof NewSourceLink>) {
  const input = NewSourceLink.parse(raw);
  const testimonyId = z.uuid().safeParse(rawTestimonyId);
  if (!testimonyId.success) throw new NotFound('testimony');
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'testimony.update', { orgId });
    const [t] = await tx.select({ id: testimony.id }).from(testimony).where(and(eq(testimony.id, testimonyId.data), eq(testimony.orgId, orgId)));
    if (!t) throw new NotFound('testimony');
    const source = await loadVisible(tx, actor, input.sourceId);
    const id = crypto.randomUUID();
    const [row] = await tx
      .insert(testimonySource)
      .values({ id, orgId, testimonyId: t.id, sourceId: source.id, relation: input.relation, note: input.note ? encrypt(input.note, notePlace(id)) : null, createdBy: actor.userId })
      .onConflictDoNothing()
      .returning({ id: testimonySource.id });
    if (!row) throw new Conflict(problem('sourceLinkedAlready'));
    await audit(tx, actor, { action: 'testimony.link_source', entity: 'testimony', entityId: t.id, details: { source: source.id, relation: input.relation } });
    return { id, testimonyId: t.id, sourceId: source.id, relation: input.relation };
  });
}

/** The reports a testimony is linked to (staff of its organisation). */
export async function sourcesOfTestimony(actor: Actor, rawTestimonyId: string) {
  const id = z.uuid().safeParse(rawTestimonyId);
  if (!id.success) throw new NotFound('testimony');
  const testimonyId = id.data;
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'testimony.read', { orgId });
    const [t] = await tx.select({ id: testimony.id }).from(testimony).where(and(eq(testimony.id, testimonyId), eq(testimony.orgId, orgId)));
    if (!t) throw new NotFound('testimony');
    const rows = await tx
      .select({ id: testimonySource.id, relation: testimonySource.relation, note: testimonySource.note, sourceId: sourceReport.id, title: sourceReport.title, publisher: sourceReport.publisher })
      .from(testimonySource)
      .innerJoin(sourceReport, eq(sourceReport.id, testimonySource.sourceId))
      .where(and(eq(testimonySource.orgId, orgId), eq(testimonySource.testimonyId, testimonyId), visibleTo(actor)))
      .orderBy(asc(testimonySource.createdAt));
    return rows.map((r) => ({ ...r, note: r.note ? decrypt(r.note, notePlace(r.id)) : null }));
  });
}

/** The actor's organisation's testimonies that cite a report (by subject code only). */
export async function testimoniesOfSource(actor: Actor, sourceId: string) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'testimony.read', { orgId });
    const rows = await tx
      .select({ id: testimonySource.id, relation: testimonySource.relation, note: testimonySource.note, testimonyId: testimony.id, subjectCode: subject.code })
      .from(testimonySource)
      .innerJoin(testimony, eq(testimony.id, testimonySource.testimonyId))
      .innerJoin(subject, eq(subject.id, testimony.subjectId))
      .innerJoin(sourceReport, eq(sourceReport.id, testimonySource.sourceId))
      .where(and(eq(testimonySource.orgId, orgId), eq(testimonySource.sourceId, sourceId), visibleTo(actor)))
      .orderBy(asc(testimonySource.createdAt));
    return rows.map((r) => ({ ...r, note: r.note ? decrypt(r.note, notePlace(r.id)) : null }));
  });
}
