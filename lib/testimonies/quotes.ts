import 'server-only';
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db';
import { consent, quote, testimony } from '@/db/schema';
import { assertCan, type Actor } from '../access';
import { audit } from '../audit';
import { decrypt, encrypt, isEnvelope } from '../crypto/envelope';
import { BadInput, Conflict, NotFound, problem } from '../errors';
import { inOrg, type OrgScope } from '../scope';
import { countsFor } from './audience';
import { suggestRedactions } from './domain/redaction';
import { QuoteApproval, QuoteProposal, QuoteRedaction, type QuoteApprovalInput } from './quote-input';

export { QuoteApproval, QuoteProposal, QuoteRedaction, type QuoteApprovalInput } from './quote-input';

const quotePlace = (id: string) => ({ table: 'testimony_quote', column: 'original_text', rowId: id });
const redactionPlace = (id: string) => ({ table: 'testimony_quote', column: 'redacted_text', rowId: id });
type QuoteRow = typeof quote.$inferSelect;

/**
 * The redaction is encrypted too: until a reviewer approves it, it may still hold what identifies
 * someone (the suggestion errs toward redacting more, but a person edits it). Values written before
 * it was encrypted read as they are, until `keys rotate` encrypts them.
 */
export const sealRedaction = (text: string, id: string) => encrypt(text, redactionPlace(id));
export const openRedaction = (stored: string, id: string) => (isEnvelope(stored) ? decrypt(stored, redactionPlace(id)) : stored);

/** A quote for staff of its organisation: the original decrypted. Never for public output (see publishableQuotes). */
function present(q: QuoteRow) {
  const { originalText, redactedText, orgId: _o, ...fields } = q;
  return { ...fields, originalText: decrypt(originalText, quotePlace(q.id)), redactedText: openRedaction(redactedText, q.id) };
}
export type Quote = ReturnType<typeof present>;

const uuid = (raw: string, what: string) => {
  const id = z.uuid().safeParse(raw);
  if (!id.success) throw new NotFound(what);
  return id.data;
};

async function loadTestimony(scope: OrgScope, rawId: string) {
  const id = uuid(rawId, 'testimony');
  const [t] = await scope.tx
    .select({ id: testimony.id, narrative: testimony.narrative })
    .from(testimony)
    .where(and(eq(testimony.id, id), eq(testimony.orgId, scope.orgId)));
  if (!t) throw new NotFound('testimony');
  return t;
}

async function loadQuoteForChange(scope: OrgScope, rawId: string) {
  const id = uuid(rawId, 'quote');
  const [q] = await scope.tx
    .select()
    .from(quote)
    .where(and(eq(quote.id, id), eq(quote.orgId, scope.orgId)))
    .for('update');
  if (!q) throw new NotFound('quote');
  return q;
}

/** Staff propose an excerpt; the redaction starts as the automatic suggestion, the original is encrypted. */
export async function proposeQuote(actor: Actor, testimonyId: string, rawText: string) {
  const { originalText } = QuoteProposal.parse({ originalText: rawText });
  return inOrg(actor, async (scope) => {
    assertCan(actor, 'testimony.update', { orgId: scope.orgId });
    const t = await loadTestimony(scope, testimonyId);
    // A quote is an excerpt of what the worker said: it must stand in the narrative (spacing aside).
    const narrative = t.narrative ? decrypt(t.narrative, { table: 'testimony', column: 'narrative', rowId: t.id }) : '';
    const squash = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim();
    if (!squash(narrative).includes(squash(originalText))) {
      throw new BadInput(problem('quoteNotExcerpt'), [
        { path: 'originalText', message: 'not found in the narrative' },
      ]);
    }
    const id = crypto.randomUUID();
    const suggestion = suggestRedactions(originalText);
    const [row] = await scope.tx
      .insert(quote)
      .values({ id, testimonyId: t.id, orgId: scope.orgId, originalText: encrypt(originalText, quotePlace(id)), redactedText: sealRedaction(suggestion.redacted, id), proposedBy: actor.userId })
      .returning();
    const kinds = suggestion.replacements.map((r) => r.kind);
    await audit(scope.tx, actor, { action: 'quote.propose', entity: 'quote', entityId: id, details: { testimonyId: t.id, replaced: kinds.length } });
    return { ...present(row!), suggested: suggestion.replacements.map(({ start, end, kind }) => ({ start, end, kind })) };
  });
}

/** Staff edit the redaction; any edit sends the quote back to review. */
export async function updateRedaction(actor: Actor, quoteId: string, rawText: string) {
  const { redactedText } = QuoteRedaction.parse({ redactedText: rawText });
  return inOrg(actor, async (scope) => {
    assertCan(actor, 'testimony.update', { orgId: scope.orgId });
    const q = await loadQuoteForChange(scope, quoteId);
    const [row] = await scope.tx
      .update(quote)
      .set({ redactedText: sealRedaction(redactedText, q.id), status: 'proposed', approvedBy: null, approvedAt: null })
      .where(and(eq(quote.id, q.id), eq(quote.orgId, scope.orgId)))
      .returning();
    await audit(scope.tx, actor, { action: 'quote.redact', entity: 'quote', entityId: q.id, details: { testimonyId: q.testimonyId, previousStatus: q.status } });
    return present(row!);
  });
}

/**
 * What in a redacted text would still be redacted: any digit, and every span the suggestion would
 * replace. Empty means the text may be approved.
 */
export function remainingIdentifiers(redactedText: string): { text: string; kind: string }[] {
  const found = suggestRedactions(redactedText).replacements.map((r) => ({ text: r.original, kind: r.kind }));
  const digits = redactedText.match(/\p{Nd}+/gu) ?? [];
  for (const d of digits) if (!found.some((f) => f.text.includes(d))) found.push({ text: d, kind: 'number' });
  return found;
}

/**
 * A reviewer approves the redaction they read ("save and approve"): the text sent is validated as a
 * save is, refused while anything identifying remains, and stored with the approval when it differs,
 * in one transaction, so the approved text is exactly what was on the reviewer's screen.
 */
export async function approveQuote(actor: Actor, quoteId: string, approval: QuoteApprovalInput) {
  const { redactedText, expectedText } = QuoteApproval.parse(approval);
  return inOrg(actor, async (scope) => {
    assertCan(actor, 'quote.approve', { orgId: scope.orgId });
    const q = await loadQuoteForChange(scope, quoteId);
    assertCan(actor, 'quote.approve', { orgId: q.orgId, proposedBy: q.proposedBy });
    const stored = openRedaction(q.redactedText, q.id);
    // Someone else saved a redaction after the reviewer loaded theirs: approving would drop it unseen.
    if (expectedText !== undefined && expectedText.trim() !== stored && redactedText !== stored) throw new Conflict(problem('redactionChanged'));
    if (q.status === 'approved') throw new Conflict(problem('quoteApprovedAlready'));
    if (q.status === 'rejected') throw new Conflict(problem('quoteRejectedNoApproval'));
    const remaining = remainingIdentifiers(redactedText);
    if (remaining.length) {
      throw new BadInput(
        problem('redactionIdentifies', { found: remaining.map((r) => `"${r.text}" (${r.kind})`).join(', ') }),
        [{ path: 'redactedText', message: problem('redactionStillIdentifying').text }],
      );
    }
    const edited = redactedText !== stored;
    const [row] = await scope.tx
      .update(quote)
      .set({ ...(edited ? { redactedText: sealRedaction(redactedText, q.id) } : {}), status: 'approved', approvedBy: actor.userId, approvedAt: new Date() })
      .where(and(eq(quote.id, q.id), eq(quote.orgId, scope.orgId)))
      .returning();
    // The edit is recorded as a save would be, then the approval: the log reads as the two steps it replaces.
    if (edited) await audit(scope.tx, actor, { action: 'quote.redact', entity: 'quote', entityId: q.id, details: { testimonyId: q.testimonyId, previousStatus: q.status } });
    await audit(scope.tx, actor, { action: 'quote.approve', entity: 'quote', entityId: q.id, details: { testimonyId: q.testimonyId } });
    return present(row!);
  });
}

/** A reviewer rejects a quote; editing its redaction proposes it again. */
export async function rejectQuote(actor: Actor, quoteId: string) {
  return inOrg(actor, async (scope) => {
    assertCan(actor, 'quote.approve', { orgId: scope.orgId });
    const q = await loadQuoteForChange(scope, quoteId);
    if (q.status === 'rejected') throw new Conflict('This quote is already rejected.');
    const [row] = await scope.tx
      .update(quote)
      .set({ status: 'rejected', approvedBy: null, approvedAt: null })
      .where(and(eq(quote.id, q.id), eq(quote.orgId, scope.orgId)))
      .returning();
    await audit(scope.tx, actor, { action: 'quote.reject', entity: 'quote', entityId: q.id, details: { testimonyId: q.testimonyId, previousStatus: q.status } });
    return present(row!);
  });
}

/** The quotes of one testimony, oldest first, originals decrypted for its organisation's staff; the read is audited. */
export async function listQuotes(actor: Actor, testimonyId: string) {
  return inOrg(actor, async (scope) => {
    assertCan(actor, 'testimony.read', { orgId: scope.orgId });
    const t = await loadTestimony(scope, testimonyId);
    const rows = await scope.tx
      .select()
      .from(quote)
      .where(and(eq(quote.testimonyId, t.id), eq(quote.orgId, scope.orgId)))
      .orderBy(asc(quote.createdAt), asc(quote.id));
    if (rows.length) await audit(scope.tx, actor, { action: 'quote.read', entity: 'testimony', entityId: t.id, details: { quotes: rows.length } });
    return rows.map(present);
  });
}

/**
 * Approved quotes that may be published now: their testimony counts for 'public_quote' (approved,
 * consented, not withdrawn), checked at the moment of the query. Only the redacted text leaves.
 */
export async function publishableQuotes(tx: Tx | Db, filter: { orgId?: string; testimonyIds?: string[]; quoteIds?: string[] } = {}) {
  const where: (SQL | undefined)[] = [
    eq(quote.status, 'approved'),
    countsFor('public_quote'),
    filter.orgId ? eq(quote.orgId, filter.orgId) : undefined,
    filter.testimonyIds ? inArray(quote.testimonyId, filter.testimonyIds.length ? filter.testimonyIds : ['00000000-0000-0000-0000-000000000000']) : undefined,
    filter.quoteIds ? inArray(quote.id, filter.quoteIds.length ? filter.quoteIds : ['00000000-0000-0000-0000-000000000000']) : undefined,
  ];
  const rows = await tx
    .select({ id: quote.id, testimonyId: quote.testimonyId, orgId: quote.orgId, redactedText: quote.redactedText, approvedAt: quote.approvedAt })
    .from(quote)
    .innerJoin(testimony, and(eq(testimony.id, quote.testimonyId), eq(testimony.orgId, quote.orgId)))
    .innerJoin(consent, eq(consent.testimonyId, testimony.id))
    .where(and(...where))
    .orderBy(asc(quote.approvedAt), asc(quote.id));
  return rows.map((q) => ({ ...q, redactedText: openRedaction(q.redactedText, q.id) }));
}
