import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consent, testimony } from '@/db/schema';
import { verifyChain } from '@/lib/audit';
import { BadInput, Conflict, Forbidden, NotFound, toErrorBody } from '@/lib/errors';
import { orgWithActors, type RoleActors } from '@/test/actors';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { countsFor, type Audience } from './audience';
import { approveTestimony, createTestimony, getTestimony, interviewerChoices, listTestimonies, submitTestimony, updateTestimony, withdrawConsent } from './index';
import { importTestimoniesCsv } from './import';
import type { NewTestimonyInput } from './input';
import { syntheticCsvText } from './synthetic';

let database: TestDatabase;
let a: RoleActors;
let b: RoleActors;

// The long-form source's typical account, paraphrased into fields.
const longForm: NewTestimonyInput = {
  interviewDate: '2025-03-14',
  interviewLanguage: 'ko',
  ageBand: '35-44',
  deployment: { start: '2023-05', end: '2024-11', region: 'primorsky-krai', siteType: 'construction', visaType: 'student', outcome: 'escaped' },
  hours: { shiftStart: '06:00', shiftEnd: '02:00', daysPerWeek: 7, restDaysPerYear: 2 },
  pay: { currency: 'USD', wagePaid: 800, loyaltyContribution: 600, ledgerCredit: 150, receivedInHand: 0, ledgerPaid: 'no' },
  conditions: { housing: 'shipping_container', minders: 'yes', ideologicalSessions: 'yes', phonesForbidden: 'yes' },
  injuries: [{ kind: 'fall', severity: 'serious', month: '2024-02', care: 'denied', keptWorking: 'yes' }],
  indicators: { excessive_overtime: { answer: 'yes', note: 'twenty-hour days' }, isolation: { answer: 'yes' } },
  narrative: 'NARRATIVE-SENTINEL the worker described the site at night',
  interviewerNotes: 'NOTES-SENTINEL calm, asked for breaks',
  consent: { scopes: ['internal', 'research'], method: 'oral' },
};

async function counted(audience: Audience, id: string) {
  const rows = await database.db
    .select({ id: testimony.id })
    .from(testimony)
    .innerJoin(consent, eq(consent.testimonyId, testimony.id))
    .where(and(eq(testimony.id, id), countsFor(audience)));
  return rows.length === 1;
}

beforeAll(async () => {
  database = await freshDatabase();
  a = await orgWithActors('ta');
  b = await orgWithActors('tb');
});
afterAll(() => database.drop());

describe(`testimonies on ${testDbKind}`, () => {
  it('records the whole account and reads it back, decrypted for staff, with a read audited', async () => {
    const { id, subjectCode } = await createTestimony(a.caseworker, longForm);
    expect(subjectCode).toMatch(/^W-[0-9A-HJKMNP-TV-Z]{6}$/);
    const t = await getTestimony(a.reviewer, id);
    expect(t.narrative).toBe(longForm.narrative);
    expect(t.interviewerNotes).toBe(longForm.interviewerNotes);
    expect(t.shiftStart).toBe('06:00:00');
    expect(t.restDaysPerYear).toBe(2);
    expect(t.ledgerCredit).toBe(150);
    expect(t.injuries).toHaveLength(1);
    expect(t.indicators.excessive_overtime).toEqual({ answer: 'yes', note: 'twenty-hour days' });
    expect(t.consent?.scopes).toEqual(['internal', 'research']);
    expect(t.derived).toEqual({ hoursPerDay: 20, hoursPerWeek: 140, shareWithheld: 0.9375, payInconsistent: false, payIssues: [] });
    // Amounts that do not add up are kept and flagged, not refused.
    const odd = await createTestimony(a.caseworker, { ...longForm, pay: { currency: 'USD', wagePaid: 100, loyaltyContribution: 90, ledgerCredit: 50, receivedInHand: 0 } });
    expect((await getTestimony(a.reviewer, odd.id)).derived).toMatchObject({ payInconsistent: true, payIssues: expect.arrayContaining(['parts_exceed_wage']), shareWithheld: null });
    const reads = await database.db.execute(sql`select count(*)::int as n from audit_event where action = 'testimony.read' and entity_id = ${id}`);
    expect(Number((Array.isArray(reads) ? reads[0] : (reads as { rows: { n: number }[] }).rows[0])!.n)).toBe(1);
    expect((await verifyChain(database.db)).ok).toBe(true);
  });

  it('stores no narrative, note or indicator note in plain text', async () => {
    const { id } = await createTestimony(a.caseworker, longForm);
    const dump = JSON.stringify(await database.db.execute(sql`select t.*, i.note from testimony t left join testimony_indicator i on i.testimony_id = t.id where t.id = ${id}`));
    expect(dump).not.toContain('SENTINEL');
    expect(dump).not.toContain('twenty-hour');
  });

  it('a narrative moved to another row no longer decrypts', async () => {
    const one = await createTestimony(a.caseworker, longForm);
    const two = await createTestimony(a.caseworker, { ...longForm, narrative: 'other' });
    await database.db.execute(sql`update testimony set narrative = (select narrative from testimony where id = ${one.id}) where id = ${two.id}`);
    await expect(getTestimony(a.caseworker, two.id)).rejects.toThrow(/does not belong here/);
  });

  it('another organisation, a researcher, or a malformed id cannot read it', async () => {
    const { id } = await createTestimony(a.caseworker, longForm);
    await expect(getTestimony(b.admin, id)).rejects.toBeInstanceOf(NotFound);
    await expect(getTestimony(a.researcher, id)).rejects.toBeInstanceOf(Forbidden);
    await expect(getTestimony(a.caseworker, 'not-a-uuid')).rejects.toBeInstanceOf(NotFound);
  });

  it('draft → submitted → approved; the person who entered it may not approve it', async () => {
    const { id } = await createTestimony(a.reviewer, longForm);
    await expect(approveTestimony(a.admin, id)).rejects.toBeInstanceOf(Conflict); // still a draft
    const submitted = await submitTestimony(a.reviewer, id, 1);
    expect(submitted.version).toBe(2);
    await expect(approveTestimony(a.reviewer, id)).rejects.toBeInstanceOf(Forbidden);
    await expect(approveTestimony(a.caseworker, id)).rejects.toBeInstanceOf(Forbidden);
    await expect(approveTestimony(a.admin, id, 1)).rejects.toBeInstanceOf(Conflict); // stale version
    expect((await approveTestimony(a.admin, id, 2)).status).toBe('approved');
  });

  it('counts for an audience only when approved and consented, and leaves at once on withdrawal', async () => {
    const { id } = await createTestimony(a.caseworker, longForm);
    expect(await counted('research', id)).toBe(false); // draft
    await submitTestimony(a.caseworker, id);
    await approveTestimony(a.reviewer, id);
    expect(await counted('internal', id)).toBe(true);
    expect(await counted('research', id)).toBe(true);
    expect(await counted('public_aggregate', id)).toBe(false); // not consented
    await withdrawConsent(a.caseworker, id, 'asked by the worker');
    expect(await counted('research', id)).toBe(false);
    expect(await counted('internal', id)).toBe(false);
    await expect(withdrawConsent(a.caseworker, id, 'again')).rejects.toBeInstanceOf(Conflict);
    expect((await getTestimony(a.caseworker, id)).consent?.withdrawalReason).toBe('asked by the worker');
  });

  it('refuses bad input without writing anything', async () => {
    const before = await database.db.select({ id: testimony.id }).from(testimony);
    await expect(createTestimony(a.caseworker, { ...longForm, hours: { shiftStart: '25:00' } } as NewTestimonyInput)).rejects.toThrow();
    await expect(createTestimony(a.caseworker, { ...longForm, name: 'Real Name' } as unknown as NewTestimonyInput)).rejects.toThrow();
    await expect(createTestimony(a.caseworker, { ...longForm, subjectCode: 'W-ZZZZZZ' })).rejects.toBeInstanceOf(NotFound);
    const after = await database.db.select({ id: testimony.id }).from(testimony);
    expect(after.length).toBe(before.length);
  });

  it('the interviewer must be a user of the organisation: another organisation\'s user or nobody is a 422 naming the field', async () => {
    const before = await database.db.select({ id: testimony.id }).from(testimony);
    for (const interviewerId of [b.caseworker.userId, crypto.randomUUID()]) {
      const refused = await createTestimony(a.caseworker, { ...longForm, interviewerId }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BadInput);
      expect(toErrorBody(refused).status).toBe(422);
      expect((refused as BadInput).issues).toEqual([{ path: 'interviewerId', message: 'The interviewer must be a user of your organisation.' }]);
    }
    expect((await database.db.select({ id: testimony.id }).from(testimony)).length).toBe(before.length);
    const made = await createTestimony(a.caseworker, { ...longForm, interviewerId: a.reviewer.userId });
    expect((await getTestimony(a.reviewer, made.id)).interviewerId).toBe(a.reviewer.userId);
    await expect(updateTestimony(a.caseworker, made.id, { version: made.version, interviewerId: b.admin.userId })).rejects.toBeInstanceOf(BadInput);
    const changed = await updateTestimony(a.caseworker, made.id, { version: made.version, interviewerId: a.caseworker.userId });
    expect(changed.version).toBe(made.version + 1);
    // The form's list: this organisation's staff only, never a researcher or another organisation's user.
    const choices = (await interviewerChoices(a.caseworker)).map((u) => u.id);
    expect(choices).toEqual(expect.arrayContaining([a.caseworker.userId, a.reviewer.userId, a.admin.userId]));
    expect(choices).not.toContain(a.researcher.userId);
    expect(choices).not.toContain(b.caseworker.userId);
    await expect(interviewerChoices(a.researcher)).rejects.toBeInstanceOf(Forbidden);
  });

  it('text the database cannot store (NUL, a lone surrogate) is refused by the schema with the field named', async () => {
    for (const bad of ['ko\u0000', 'k\uD800o']) {
      const refused = await createTestimony(a.caseworker, { ...longForm, interviewLanguage: bad }).catch((e: unknown) => e);
      expect(toErrorBody(refused)).toMatchObject({ status: 422, body: { error: { issues: [{ path: 'interviewLanguage', message: 'Text may not contain a NUL character or broken Unicode (a lone surrogate).' }] } } });
    }
    const injury = await createTestimony(a.caseworker, { ...longForm, injuries: [{ kind: 'fa\u0000ll', severity: 'minor', care: 'denied' }] }).catch((e: unknown) => e);
    expect(toErrorBody(injury).status).toBe(422);
    // A NUL that reaches the database another way is a 422 as well, not a 500.
    const raw = await database.db.execute(sql`select ${'a\u0000b'}::text`).catch((e: unknown) => e);
    expect(toErrorBody(raw)).toMatchObject({ status: 422, body: { error: { code: 'bad_input' } } });
  });

  it('a second testimony of the same subject shares its code', async () => {
    const first = await createTestimony(a.caseworker, longForm);
    const second = await createTestimony(a.caseworker, { ...longForm, subjectCode: first.subjectCode.toLowerCase() });
    expect(second.subjectCode).toBe(first.subjectCode);
    await expect(createTestimony(b.caseworker, { ...longForm, subjectCode: first.subjectCode })).rejects.toBeInstanceOf(NotFound);
  });
});

describe(`editing on ${testDbKind}`, () => {
  it('merges a section, bumps the version, and refuses a stale version naming it', async () => {
    const { id } = await createTestimony(a.caseworker, longForm);
    const edited = await updateTestimony(a.caseworker, id, { version: 1, hours: { restDaysPerYear: 4 }, narrative: 'changed' });
    expect(edited.version).toBe(2);
    const t = await getTestimony(a.caseworker, id);
    expect(t.restDaysPerYear).toBe(4);
    expect(t.shiftStart).toBe('06:00:00'); // the rest of the section is kept
    expect(t.narrative).toBe('changed');
    expect(t.injuries).toHaveLength(1);
    await expect(updateTestimony(a.caseworker, id, { version: 1, hours: { restDaysPerYear: 9 } })).rejects.toThrow(/your version 1, now 2/);
    expect((await getTestimony(a.caseworker, id)).restDaysPerYear).toBe(4);
  });

  it('refuses fields that are not part of the record (mass assignment) and bad values, changing nothing', async () => {
    const { id } = await createTestimony(a.caseworker, longForm);
    await expect(updateTestimony(a.caseworker, id, { version: 1, orgId: b.orgId })).rejects.toThrow();
    await expect(updateTestimony(a.caseworker, id, { version: 1, status: 'approved' })).rejects.toThrow();
    await expect(updateTestimony(a.caseworker, id, { version: 1, hours: { daysPerWeek: 9 } })).rejects.toThrow();
    const t = await getTestimony(a.caseworker, id);
    expect(t.version).toBe(1);
    expect(t.orgId).toBe(a.orgId);
    await expect(updateTestimony(b.caseworker, id, { version: 1 })).rejects.toBeInstanceOf(NotFound);
  });
});

describe(`listing on ${testDbKind}`, () => {
  it('filters by every field the list offers and pages with a cursor without gaps or repeats', async () => {
    const org = await orgWithActors('tl');
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { id } = await createTestimony(org.caseworker, {
        ...longForm,
        interviewDate: `2025-0${(i % 3) + 1}-10`,
        deployment: { ...longForm.deployment, siteType: i % 2 ? 'factory' : 'construction', region: i < 3 ? 'amur-oblast' : 'primorsky-krai' },
        injuries: i === 0 ? [] : longForm.injuries,
        indicators: i === 1 ? { deception: { answer: 'yes' } } : {},
      });
      made.push(id);
    }
    const ids = async (f: Parameters<typeof listTestimonies>[1]) => (await listTestimonies(org.caseworker, f)).testimonies.map((r) => r.id).sort();
    expect(await ids({ siteType: 'factory' })).toEqual([made[1], made[3], made[5]].sort());
    expect(await ids({ region: 'amur-oblast' })).toEqual(made.slice(0, 3).sort());
    expect(await ids({ injury: 'no' })).toEqual([made[0]]);
    expect(await ids({ indicator: 'deception' })).toEqual([made[1]]);
    expect(await ids({ from: '2025-02-01', to: '2025-02-28' })).toEqual([made[1], made[4]].sort());
    await expect(listTestimonies(org.caseworker, { siteType: 'moon' as never })).rejects.toThrow();
    await expect(listTestimonies(org.caseworker, { cursor: 'garbage' })).rejects.toThrow(/cursor/);
    // Cursors that look right but hold a value the database would refuse are refused first (422, not 500).
    const forged = (key: string) => Buffer.from(`${key}|${made[0]}`).toString('base64url');
    for (const key of ['2025-02-30', '2025-01-10 25:00:00+00', '2025-01-10 10:00:00.1234567+00', '2025-01-10T10:00:00Z', '']) {
      await expect(listTestimonies(org.caseworker, { cursor: forged(key), order: 'interviewed-latest' }), key).rejects.toBeInstanceOf(BadInput);
    }
    expect((await listTestimonies(org.caseworker, { cursor: forged('2025-01-10 10:00:00.123+05:30') })).testimonies).toBeDefined();

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listTestimonies(org.caseworker, { limit: 3, cursor, order: 'oldest' });
      seen.push(...page.testimonies.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(made);

    // By interview date, both ways, in pages: every row once, undated interviews last.
    const { id: undated } = await createTestimony(org.caseworker, { ...longForm, interviewDate: undefined });
    for (const order of ['interviewed-latest', 'interviewed-earliest'] as const) {
      const rows: { id: string; interviewDate: string | null }[] = [];
      let next: string | undefined;
      do {
        const page = await listTestimonies(org.caseworker, { limit: 3, cursor: next, order });
        rows.push(...page.testimonies);
        next = page.nextCursor ?? undefined;
      } while (next);
      expect(rows.map((r) => r.id).sort()).toEqual([...made, undated].sort());
      expect(rows.at(-1)!.id).toBe(undated);
      const dates = rows.slice(0, -1).map((r) => r.interviewDate!);
      expect(dates).toEqual([...dates].sort((x, y) => (order === 'interviewed-latest' ? y.localeCompare(x) : x.localeCompare(y))));
    }
    // Rows written by one import share one created_at: pages still hold each once (the id breaks ties).
    const imported = await orgWithActors('ti');
    await importTestimoniesCsv(imported.caseworker, (async function* () {
      yield syntheticCsvText(7);
    })());
    for (const order of ['newest', 'oldest'] as const) {
      const ids: string[] = [];
      let next: string | undefined;
      do {
        const page = await listTestimonies(imported.caseworker, { limit: 2, cursor: next, order });
        ids.push(...page.testimonies.map((r) => r.id));
        next = page.nextCursor ?? undefined;
      } while (next);
      expect(new Set(ids).size).toBe(7);
      expect(ids).toHaveLength(7);
    }
    // Other organisations' rows never appear.
    expect((await listTestimonies(a.caseworker, { limit: 200 })).testimonies.some((r) => made.includes(r.id))).toBe(false);
  });

  it('the review queue holds submitted testimonies the reviewer did not enter', async () => {
    const org = await orgWithActors('tq');
    const mine = await createTestimony(org.reviewer, longForm);
    const theirs = await createTestimony(org.caseworker, longForm);
    await submitTestimony(org.reviewer, mine.id);
    await submitTestimony(org.caseworker, theirs.id);
    const queue = await listTestimonies(org.reviewer, { reviewable: '1' });
    expect(queue.testimonies.map((r) => r.id)).toEqual([theirs.id]);
  });
});
