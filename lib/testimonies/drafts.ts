import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { formDraft } from '@/db/schema';
import { assertCan, type Actor } from '../access';
import { decrypt, encrypt } from '../crypto/envelope';
import { TooLarge, problem } from '../errors';
import { inOrg } from '../scope';

// Autosave of the testimony form: what was typed survives a closed tab, a lost connection or an
// expired session. Encrypted like the narrative it may contain; one draft per user and form.
export const FormKey = z.union([z.literal('new'), z.string().regex(/^edit:[0-9a-f-]{36}$/)]);
const Entries = z.array(z.tuple([z.string().max(100), z.string().max(100_000)])).max(500);
const MAX_BYTES = 300_000;

const place = (actor: Actor, key: string) => ({ table: 'form_draft', column: 'payload', rowId: `${actor.userId}:${key}` });

export async function saveFormDraft(actor: Actor, rawKey: string, rawEntries: unknown) {
  const key = FormKey.parse(rawKey);
  const entries = Entries.parse(rawEntries);
  const json = JSON.stringify(entries);
  if (Buffer.byteLength(json) > MAX_BYTES) throw new TooLarge(problem('draftTooLarge'));
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, key === 'new' ? 'testimony.create' : 'testimony.update', { orgId });
    const payload = encrypt(json, place(actor, key));
    const now = new Date();
    await tx
      .insert(formDraft)
      .values({ userId: actor.userId, orgId, formKey: key, payload, updatedAt: now })
      .onConflictDoUpdate({ target: [formDraft.userId, formDraft.formKey], set: { payload, updatedAt: now } });
    return { savedAt: now };
  });
}

/** The actor's own draft of a form (never anyone else's), as [name, value] pairs. */
export async function loadFormDraft(actor: Actor, rawKey: string): Promise<{ entries: [string, string][]; savedAt: Date } | null> {
  const key = FormKey.parse(rawKey);
  return inOrg(actor, async ({ tx, orgId }) => {
    const [row] = await tx
      .select()
      .from(formDraft)
      .where(and(eq(formDraft.userId, actor.userId), eq(formDraft.orgId, orgId), eq(formDraft.formKey, key)));
    if (!row) return null;
    return { entries: Entries.parse(JSON.parse(decrypt(row.payload, place(actor, key)))), savedAt: row.updatedAt };
  });
}

export async function clearFormDraft(actor: Actor, rawKey: string) {
  const key = FormKey.parse(rawKey);
  return inOrg(actor, async ({ tx, orgId }) => {
    await tx.delete(formDraft).where(and(eq(formDraft.userId, actor.userId), eq(formDraft.orgId, orgId), eq(formDraft.formKey, key)));
  });
}
