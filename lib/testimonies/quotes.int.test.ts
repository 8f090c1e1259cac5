import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quote } from '@/db/schema';
import { verifyChain } from '@/lib/audit';
import { BadInput, Conflict, Forbidden, NotFound } from '@/lib/errors';
import { orgWithActors, type RoleActors } from '@/test/actors';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { auditActionsFor } from '@/test/fixtures';
import { approveTestimony, createTestimony, submitTestimony, withdrawConsent } from './index';
import type { NewTestimonyInput } from './input';
import { approveQuote, listQuotes, proposeQuote, publishableQuotes, rejectQuote, remainingIdentifiers, updateRedaction } from './quotes';

let database: TestDatabase;
let a: RoleActors;
let b: RoleActors;

const record: NewTestimonyInput = {
  interviewDate: '2025-03-14',
  deployment: { region: 'primorsky-krai', siteType: 'construction' },
  hours: {},
  pay: {},
  conditions: {},
  injuries: [],
  indicators: {},
  // Every excerpt the tests quote stands in this narrative.
  narrative:
    'Our foreman Kim Chol took 600 dollars from each of us in Vladivostok on 12 March 2024. We slept in containers. ' +
    'We were never paid. We worked every night. Ri Myong-chol met us in Khabarovsk in 2019 and said nothing.',
  consent: { scopes: ['internal', 'research', 'public_quote'], method: 'oral' },
};

const EXCERPT = 'Our foreman Kim Chol took 600 dollars from each of us in Vladivostok on 12 March 2024.';

/** An approved testimony of org a, consented for public quotes. */
async function quotableTestimony(input: Partial<NewTestimonyInput> = {}) {
  const { id } = await createTestimony(a.caseworker, { ...record, ...input });
  await submitTestimony(a.caseworker, id);
  await approveTestimony(a.reviewer, id);
  return id;
}

beforeAll(async () => {
  database = await freshDatabase();
  a = await orgWithActors('qa');
  b = await orgWithActors('qb');
});
afterAll(() => database.drop());

describe(`quotes must come from the narrative on ${testDbKind}`, () => {
  it('refuses text that is not an excerpt of the narrative, and accepts one with different spacing', async () => {
    const testimonyId = await quotableTestimony();
    await expect(proposeQuote(a.caseworker, testimonyId, 'Words the worker never said.')).rejects.toBeInstanceOf(BadInput);
    await expect(proposeQuote(a.caseworker, testimonyId, 'We slept   in\ncontainers.')).resolves.toBeTruthy();
  });
});

describe(`quotes on ${testDbKind}`, () => {
  it('a proposal suggests a redaction replacing the name, the place, the date and the numbers', async () => {
    const testimonyId = await quotableTestimony();
    const q = await proposeQuote(a.caseworker, testimonyId, EXCERPT);
    expect(q.status).toBe('proposed');
    expect(q.originalText).toBe(EXCERPT);
    for (const secret of ['Kim Chol', 'Vladivostok', '600', '12 March', '2024']) expect(q.redactedText).not.toContain(secret);
    expect(q.redactedText).toContain('[name]');
    expect(q.redactedText).toContain('[place]');
    expect(q.redactedText).toMatch(/\[date\]|\[number\]/);
    expect(q.redactedText).not.toMatch(/\p{Nd}/u);
    expect(remainingIdentifiers(q.redactedText)).toEqual([]);
    expect(await auditActionsFor(q.id)).toEqual(['quote.propose']);
  });

  it('refuses approval while a digit or a name remains, then approves the corrected text', async () => {
    const testimonyId = await quotableTestimony();
    const q = await proposeQuote(a.caseworker, testimonyId, EXCERPT);
    const withAmount = (await updateRedaction(a.reviewer, q.id, q.redactedText.replace('[number]', '600'))).redactedText;
    await expect(approveQuote(a.reviewer, q.id, { redactedText: withAmount })).rejects.toBeInstanceOf(BadInput);
    await expect(approveQuote(a.reviewer, q.id, { redactedText: withAmount })).rejects.toThrow(/"600"/);
    const named = 'Our foreman Sergei Ivanov took [number] dollars from each of us.';
    await updateRedaction(a.reviewer, q.id, named);
    await expect(approveQuote(a.reviewer, q.id, { redactedText: named })).rejects.toThrow(/Sergei Ivanov/);
    const fixed = 'Our foreman [name] took [number] dollars from each of us.';
    await updateRedaction(a.reviewer, q.id, fixed);
    const approved = await approveQuote(a.admin, q.id, { redactedText: fixed, expectedText: fixed });
    expect(approved).toMatchObject({ status: 'approved', approvedBy: a.admin.userId, redactedText: fixed });
    await expect(approveQuote(a.admin, q.id, { redactedText: fixed })).rejects.toBeInstanceOf(Conflict);
    // An edit after approval sends it back to review.
    const edited = await updateRedaction(a.caseworker, q.id, 'Our foreman [name] took money from each of us.');
    expect(edited).toMatchObject({ status: 'proposed', approvedBy: null });
    expect(await auditActionsFor(q.id)).toEqual(['quote.propose', 'quote.redact', 'quote.redact', 'quote.redact', 'quote.approve', 'quote.redact']);
  });

  it('a caseworker or a researcher cannot approve or reject; a reviewer can reject', async () => {
    const testimonyId = await quotableTestimony();
    const q = await proposeQuote(a.caseworker, testimonyId, 'We slept in containers.');
    await expect(approveQuote(a.caseworker, q.id, { redactedText: q.redactedText })).rejects.toBeInstanceOf(Forbidden);
    await expect(rejectQuote(a.caseworker, q.id)).rejects.toBeInstanceOf(Forbidden);
    await expect(approveQuote(a.researcher, q.id, { redactedText: q.redactedText })).rejects.toBeInstanceOf(Forbidden);
    await expect(proposeQuote(a.researcher, testimonyId, 'x')).rejects.toBeInstanceOf(Forbidden);
    await expect(listQuotes(a.researcher, testimonyId)).rejects.toBeInstanceOf(Forbidden);
    expect((await rejectQuote(a.reviewer, q.id)).status).toBe('rejected');
    expect(await auditActionsFor(q.id)).toEqual(['quote.propose', 'quote.reject']);
  });

  it('a reviewer who proposed a quote cannot approve it: a second person must', async () => {
    const testimonyId = await quotableTestimony();
    const q = await proposeQuote(a.reviewer, testimonyId, 'We slept in containers.');
    await expect(approveQuote(a.reviewer, q.id, { redactedText: q.redactedText })).rejects.toBeInstanceOf(Forbidden);
    // Editing at approval does not make the proposer a second person.
    await expect(approveQuote(a.reviewer, q.id, { redactedText: 'We slept in [place].' })).rejects.toBeInstanceOf(Forbidden);
    expect((await approveQuote(a.admin, q.id, { redactedText: q.redactedText })).status).toBe('approved');
  });

  it('another organisation gets NotFound for the testimony and the quote', async () => {
    const testimonyId = await quotableTestimony();
    const q = await proposeQuote(a.caseworker, testimonyId, 'We slept in containers.');
    await expect(proposeQuote(b.caseworker, testimonyId, 'x')).rejects.toBeInstanceOf(NotFound);
    await expect(listQuotes(b.admin, testimonyId)).rejects.toBeInstanceOf(NotFound);
    await expect(updateRedaction(b.caseworker, q.id, 'x')).rejects.toBeInstanceOf(NotFound);
    await expect(approveQuote(b.reviewer, q.id, { redactedText: 'x' })).rejects.toBeInstanceOf(NotFound);
    await expect(rejectQuote(b.admin, q.id)).rejects.toBeInstanceOf(NotFound);
    await expect(approveQuote(a.reviewer, 'not-a-uuid', { redactedText: 'x' })).rejects.toBeInstanceOf(NotFound);
    expect((await listQuotes(a.caseworker, testimonyId)).map((x) => x.id)).toEqual([q.id]);
  });

  it('publishable: approved quotes of testimonies consented for public quotes; withdrawal removes them at once', async () => {
    const testimonyId = await quotableTestimony();
    const q = await proposeQuote(a.caseworker, testimonyId, 'We slept in containers.');
    const notYet = await proposeQuote(a.caseworker, testimonyId, 'We were never paid.');
    const noConsent = await quotableTestimony({ consent: { scopes: ['internal', 'research'], method: 'oral' } });
    const other = await proposeQuote(a.caseworker, noConsent, 'We worked every night.');
    await approveQuote(a.reviewer, q.id, { redactedText: q.redactedText });
    await approveQuote(a.reviewer, other.id, { redactedText: other.redactedText });
    const mine = async () => (await publishableQuotes(database.db, { testimonyIds: [testimonyId, noConsent] })).map((x) => x.id);
    expect(await mine()).toEqual([q.id]);
    expect(notYet.status).toBe('proposed');
    const [published] = await publishableQuotes(database.db, { quoteIds: [q.id] });
    expect(published).toEqual({ id: q.id, testimonyId, orgId: a.orgId, redactedText: 'We slept in containers.', approvedAt: expect.any(Date) });
    expect(published).not.toHaveProperty('originalText');
    await withdrawConsent(a.caseworker, testimonyId, 'asked by the worker');
    expect(await mine()).toEqual([]);
    expect(await publishableQuotes(database.db, { testimonyIds: [] })).toEqual([]);
  });

  it('stores neither the original nor the unapproved redaction in plain text, and the audit chain holds', async () => {
    const testimonyId = await quotableTestimony();
    const q = await proposeQuote(a.caseworker, testimonyId, 'Ri Myong-chol met us in Khabarovsk in 2019');
    const dump = JSON.stringify(await database.db.execute(sql`select * from testimony_quote`));
    // Probes carry a space: a bare '2019' can occur by chance inside a uuid or a base64 ciphertext.
    for (const secret of ['Myong-chol', 'in Khabarovsk', 'in 2019']) expect(dump).not.toContain(secret);
    expect(q.redactedText).toBe('[name] met us in [place] in [date]');
    expect(dump).not.toContain('met us in');
    const [row] = await database.db.select().from(quote).where(eq(quote.id, q.id));
    expect(row!.originalText).toMatch(/^v1\.t2\./);
    expect(row!.redactedText).toMatch(/^v1\.t2\./);
    const auditDump = JSON.stringify(await database.db.execute(sql`select details from audit_event`));
    expect(auditDump).not.toContain('Khabarovsk');
    expect((await verifyChain(database.db)).ok).toBe(true);
  });
});

describe(`save and approve on ${testDbKind}: what the reviewer approves is what is stored`, () => {
  /** The quote's row as stored (ciphertext included) and its audit trail: to prove a refusal wrote nothing. */
  const snapshot = async (id: string) => ({ row: (await database.db.select().from(quote).where(eq(quote.id, id)))[0], audit: await auditActionsFor(id) });

  it('approving an edited text stores that text with the approval, in one step, audited as an edit and an approval', async () => {
    const testimonyId = await quotableTestimony();
    const q = await proposeQuote(a.caseworker, testimonyId, EXCERPT);
    const edited = 'Our foreman [name] took a month of pay from each of us in [place].';
    const approved = await approveQuote(a.reviewer, q.id, { redactedText: `  ${edited}\n`, expectedText: q.redactedText });
    expect(approved).toMatchObject({ status: 'approved', approvedBy: a.reviewer.userId, redactedText: edited });
    // Read back through lib: the staff list and what may be published both carry the edited text.
    expect((await listQuotes(a.caseworker, testimonyId)).find((x) => x.id === q.id)).toMatchObject({ status: 'approved', redactedText: edited });
    expect(await publishableQuotes(database.db, { quoteIds: [q.id] })).toEqual([expect.objectContaining({ id: q.id, redactedText: edited })]);
    // Still encrypted at rest, like a saved redaction.
    const { row } = await snapshot(q.id);
    expect(row!.redactedText).toMatch(/^v1\.t2\./);
    expect(await auditActionsFor(q.id)).toEqual(['quote.propose', 'quote.redact', 'quote.approve']);
  });

  it('approving the stored text unchanged records no edit', async () => {
    const q = await proposeQuote(a.caseworker, await quotableTestimony(), EXCERPT);
    expect(await approveQuote(a.reviewer, q.id, { redactedText: q.redactedText, expectedText: q.redactedText })).toMatchObject({ status: 'approved', redactedText: q.redactedText });
    expect(await auditActionsFor(q.id)).toEqual(['quote.propose', 'quote.approve']);
  });

  it('a redaction saved by someone else after the reviewer loaded theirs: refused (Conflict), nothing written; agreeing with it is fine', async () => {
    const q = await proposeQuote(a.caseworker, await quotableTestimony(), EXCERPT);
    const theirs = 'Our foreman [name] took our wages in [place].';
    await updateRedaction(a.caseworker, q.id, theirs);
    const before = await snapshot(q.id);
    const stale = approveQuote(a.reviewer, q.id, { redactedText: 'Our foreman [name] took money in [place].', expectedText: q.redactedText });
    await expect(stale).rejects.toBeInstanceOf(Conflict);
    await expect(approveQuote(a.reviewer, q.id, { redactedText: q.redactedText, expectedText: q.redactedText })).rejects.toMatchObject({ problem: { key: 'redactionChanged' } });
    expect(await snapshot(q.id)).toEqual(before);
    // The reviewer typed exactly what is stored now: nothing is lost, so it is approved.
    expect(await approveQuote(a.reviewer, q.id, { redactedText: theirs, expectedText: q.redactedText })).toMatchObject({ status: 'approved', redactedText: theirs });
  });

  it('an approved or rejected quote is not approved again, even with another text; nothing written', async () => {
    const testimonyId = await quotableTestimony();
    const done = await proposeQuote(a.caseworker, testimonyId, 'We slept in containers.');
    await approveQuote(a.reviewer, done.id, { redactedText: done.redactedText });
    const rejected = await proposeQuote(a.caseworker, testimonyId, 'We were never paid.');
    await rejectQuote(a.reviewer, rejected.id);
    for (const [id, key] of [[done.id, 'quoteApprovedAlready'], [rejected.id, 'quoteRejectedNoApproval']] as const) {
      const before = await snapshot(id);
      await expect(approveQuote(a.admin, id, { redactedText: 'We slept in [place].' })).rejects.toMatchObject({ status: 409, problem: { key } });
      expect(await snapshot(id)).toEqual(before);
    }
  });

  it('bad input (empty, blank, too long, NUL, a lone surrogate, not text, unknown fields) is refused as input (422), nothing written', async () => {
    const q = await proposeQuote(a.caseworker, await quotableTestimony(), EXCERPT);
    const before = await snapshot(q.id);
    const bad: unknown[] = [
      {},
      { redactedText: '' },
      { redactedText: ' \n\t ' },
      { redactedText: 'x'.repeat(4001) },
      { redactedText: 'We slept in [place].\u0000' },
      { redactedText: 'We slept in [place]. \ud800' },
      { redactedText: 42 },
      { redactedText: null },
      { redactedText: 'We slept in [place].', expectedText: 7 },
      { redactedText: 'We slept in [place].', status: 'approved' },
    ];
    for (const body of bad) {
      const refused = await approveQuote(a.reviewer, q.id, body as never).then(
        () => 'approved',
        (e: unknown) => e,
      );
      expect(refused, JSON.stringify(body)).toMatchObject({ name: 'ZodError' });
    }
    // Text that still identifies someone: BadInput, naming what remains.
    await expect(approveQuote(a.reviewer, q.id, { redactedText: 'Kim Chol took 600 dollars in Vladivostok.' })).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/"600"/) });
    expect(await snapshot(q.id)).toEqual(before);
    // The same rules as a save: what cannot be saved cannot be approved, and the other way round.
    for (const text of ['', 'x'.repeat(4001), 'a\u0000b']) await expect(updateRedaction(a.reviewer, q.id, text)).rejects.toMatchObject({ name: 'ZodError' });
    expect(await snapshot(q.id)).toEqual(before);
    expect((await approveQuote(a.reviewer, q.id, { redactedText: 'x'.repeat(4000) })).redactedText).toHaveLength(4000);
  });
});
