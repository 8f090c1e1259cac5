import { spawnSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '@/db';
import { appUser } from '@/db/schema';
import { verifyChain } from '@/lib/audit';
import { totpPlace } from '@/lib/auth/sign-in';
import { getTestimony, createTestimony, withdrawConsent } from '@/lib/testimonies';
import type { NewTestimonyInput } from '@/lib/testimonies/input';
import { loadFormDraft, saveFormDraft } from '@/lib/testimonies/drafts';
import { listQuotes, proposeQuote } from '@/lib/testimonies/quotes';
import { orgWithActors, type RoleActors } from '@/test/actors';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { decrypt, encrypt, keyIdOf } from './envelope';
import { columnName, ENCRYPTED_PLACES, keyStatus, rotateKeys } from './rotate';

// vitest.config.ts: DATA_KEYS holds t1 and t2, DATA_KEY_CURRENT=t2. Values are first moved under t1 (the old key).
let database: TestDatabase;
let a: RoleActors;

// Starts like an envelope's version tag, as a person might write it: still read as plain text.
const LEGACY_REDACTION = 'v1. LEGACY-REDACTION from [number] until [number]';
const NARRATIVE = 'ROTATION-SENTINEL we worked from six until two at night; Kim Chol in Vladivostok kept the ledger';
const account = (n: number): NewTestimonyInput => ({
  hours: {},
  pay: {},
  conditions: {},
  deployment: {},
  injuries: [],
  indicators: { excessive_overtime: { answer: 'yes', note: `note ${n}` } },
  narrative: `${NARRATIVE} #${n}`,
  interviewerNotes: `notes ${n}`,
  subject: { homeProvince: `province ${n}` },
  consent: { scopes: ['internal'], method: 'oral' },
});

/** Rewrites every encrypted value under t1, as if written before t2 existed. */
async function moveEverythingUnder(keyId: string) {
  await database.db.transaction(async (tx) => {
    for (const p of ENCRYPTED_PLACES) {
      const keys = sql.join(p.key.map((c, i) => sql`${c}::text as ${sql.identifier(`k${i}`)}`), sql`, `);
      const rows = await execRows<Record<string, string>>(tx, sql`select ${keys}, ${p.column} as value from ${p.table} where ${p.column} is not null`);
      for (const r of rows) {
        const key = p.key.map((_, i) => r[`k${i}`]!);
        const place = p.place(key);
        if (keyIdOf(r.value!) === undefined) continue; // legacy plain text stays as it is
        const match = sql.join(p.key.map((c, i) => sql`${sql.identifier(columnName(c))} = ${key[i]}`), sql` and `);
        await tx.execute(sql`update ${p.table} set ${sql.identifier(columnName(p.column))} = ${encrypt(decrypt(r.value!, place), place, keyId)} where ${match}`);
      }
    }
  });
}

const countsByKey = async () => {
  const status = await keyStatus();
  const total: Record<string, number> = {};
  for (const c of status.columns) for (const [k, n] of Object.entries(c.byKey)) total[k] = (total[k] ?? 0) + n;
  return total;
};

let ids: string[] = [];
let quoteIds: string[] = [];

beforeAll(async () => {
  database = await freshDatabase();
  a = await orgWithActors('rot');
  ids = [];
  for (let n = 0; n < 7; n++) ids.push((await createTestimony(a.caseworker, account(n))).id);
  await withdrawConsent(a.caseworker, ids[0]!, 'asked by the worker');
  quoteIds = [(await proposeQuote(a.caseworker, ids[1]!, 'Kim Chol in Vladivostok')).id, (await proposeQuote(a.caseworker, ids[2]!, 'from six until two at night')).id];
  await saveFormDraft(a.caseworker, 'new', [['narrative', 'DRAFT-SENTINEL typed and not saved']]);
  await database.db.execute(sql`update app_user set totp_secret = ${encrypt('JBSWY3DPEHPK3PXP', totpPlace(a.reviewer.userId))} where id = ${a.reviewer.userId}`);
  await moveEverythingUnder('t1');
  // A redaction stored before redactions were encrypted: plain text, read as it is until rotation seals it.
  await database.db.execute(sql`update testimony_quote set redacted_text = ${LEGACY_REDACTION} where id = ${quoteIds[1]!}`);
});
afterAll(() => database.drop());

describe(`key rotation on ${testDbKind}`, () => {
  it('status counts the values under each key id, per column', async () => {
    const status = await keyStatus();
    expect(status.current).toBe('t2');
    expect(status.configured).toEqual(['t1', 't2']);
    const byColumn = Object.fromEntries(status.columns.map((c) => [c.column, c.byKey]));
    expect(byColumn).toEqual({
      'app_user.totp_secret': { t1: 1 },
      'testimony.narrative': { t1: 7 },
      'testimony.interviewer_notes': { t1: 7 },
      'testimony_indicator.note': { t1: 7 },
      'testimony_consent.withdrawal_reason': { t1: 1 },
      'testimony_quote.original_text': { t1: 2 },
      'testimony_quote.redacted_text': { t1: 1, '(none)': 1 },
      'form_draft.payload': { t1: 1 },
      'subject.home_province': { t1: 7 },
    });
  });

  it('an interrupted rotation resumes where it stopped; afterwards every value is under t2 and reads the same', async () => {
    const progress: string[] = [];
    const first = await rotateKeys({ batchSize: 3, maxBatches: 1, onBatch: (p) => progress.push(`${p.column} ${p.rows}`) });
    expect(first.complete).toBe(false);
    expect(progress).toEqual(['app_user.totp_secret 1']);
    const second = await rotateKeys({ batchSize: 3, maxBatches: 2, onBatch: (p) => progress.push(`${p.column} ${p.rows}`) });
    expect(second.complete).toBe(false);
    expect(progress.slice(1)).toEqual(['testimony.narrative 3', 'testimony.narrative 3']);
    expect(await countsByKey()).toEqual({ t1: 1 + 7 + 7 + 1 + 2 + 1 + 1 + 7, '(none)': 1, t2: 1 + 6 });
    expect((await listQuotes(a.caseworker, ids[2]!)).map((q) => q.redactedText)).toEqual([LEGACY_REDACTION]);

    const rest = await rotateKeys({ batchSize: 3 });
    expect(rest.complete).toBe(true);
    expect(Object.fromEntries(rest.columns.map((c) => [c.column, c.rotated]))).toEqual({
      'app_user.totp_secret': 0,
      'testimony.narrative': 1,
      'testimony.interviewer_notes': 7,
      'testimony_indicator.note': 7,
      'testimony_consent.withdrawal_reason': 1,
      'testimony_quote.original_text': 2,
      'testimony_quote.redacted_text': 2,
      'form_draft.payload': 1,
      'subject.home_province': 7,
    });
    expect(await countsByKey()).toEqual({ t2: 35 });
    expect((await loadFormDraft(a.caseworker, 'new'))?.entries).toEqual([['narrative', 'DRAFT-SENTINEL typed and not saved']]);

    for (const [n, id] of ids.entries()) {
      const t = await getTestimony(a.caseworker, id);
      expect(t.narrative).toBe(`${NARRATIVE} #${n}`);
      expect(t.interviewerNotes).toBe(`notes ${n}`);
      expect(t.indicators.excessive_overtime?.note).toBe(`note ${n}`);
    }
    expect((await getTestimony(a.caseworker, ids[0]!)).consent?.withdrawalReason).toBe('asked by the worker');
    expect((await listQuotes(a.caseworker, ids[1]!)).map((q) => [q.id, q.originalText, q.redactedText])).toEqual([[quoteIds[0], 'Kim Chol in Vladivostok', '[name] in [place]']]);
    expect((await listQuotes(a.caseworker, ids[2]!)).map((q) => q.redactedText)).toEqual([LEGACY_REDACTION]);
    const [user] = await database.db.select({ secret: appUser.totpSecret }).from(appUser).where(sql`${appUser.id} = ${a.reviewer.userId}`);
    expect(keyIdOf(user!.secret!)).toBe('t2');
    expect(decrypt(user!.secret!, totpPlace(a.reviewer.userId))).toBe('JBSWY3DPEHPK3PXP');

    // Nothing left: running it again changes nothing and writes no event.
    const again = await rotateKeys();
    expect(again.columns.every((c) => c.rotated === 0)).toBe(true);
  });

  it('writes one audit event per batch, naming the column and the rows, and the chain holds', async () => {
    const rows = await execRows<{ details: { column: string; rows: number }; actor_role: string }>(
      database.db,
      sql`select details, actor_role from audit_event where action = 'keys.rotate' order by id`,
    );
    expect(rows.map((r) => `${r.details.column} ${r.details.rows}`)).toEqual([
      'app_user.totp_secret 1',
      'testimony.narrative 3',
      'testimony.narrative 3',
      'testimony.narrative 1',
      'testimony.interviewer_notes 3',
      'testimony.interviewer_notes 3',
      'testimony.interviewer_notes 1',
      'testimony_indicator.note 3',
      'testimony_indicator.note 3',
      'testimony_indicator.note 1',
      'testimony_consent.withdrawal_reason 1',
      'testimony_quote.original_text 2',
      'testimony_quote.redacted_text 2',
      'form_draft.payload 1',
      'subject.home_province 3',
      'subject.home_province 3',
      'subject.home_province 1',
    ]);
    expect(rows.every((r) => r.actor_role === 'operator')).toBe(true);
    expect((await verifyChain(database.db)).ok).toBe(true);
  });

  it('a plain table read shows no narrative, note or quote in plain text', async () => {
    const dump = JSON.stringify([
      await database.db.execute(sql`select * from testimony`),
      await database.db.execute(sql`select * from testimony_indicator`),
      await database.db.execute(sql`select * from testimony_consent`),
      await database.db.execute(sql`select original_text, redacted_text from testimony_quote`),
      await database.db.execute(sql`select payload from form_draft`),
      await database.db.execute(sql`select home_province from subject`),
    ]);
    for (const secret of ['ROTATION-SENTINEL', 'province 3', 'note 3', 'notes 3', 'asked by the worker', 'Kim Chol', '[name] in [place]', 'LEGACY-REDACTION', 'DRAFT-SENTINEL']) expect(dump).not.toContain(secret);
  });

  const pgDump = spawnSync('pg_dump', ['--version']).status === 0;
  it.runIf(testDbKind === 'postgres' && pgDump)('a pg_dump of the database contains no narrative', () => {
    const dump = spawnSync('pg_dump', ['--data-only', '--no-owner', database.url!], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(dump.status, dump.stderr).toBe(0);
    expect(dump.stdout).toContain('COPY public.testimony ');
    expect(dump.stdout).toContain('v1.t2.');
    for (const secret of ['ROTATION-SENTINEL', 'six until two', 'asked by the worker', 'Kim Chol', 'JBSWY3DPEHPK3PXP', 'province 3']) expect(dump.stdout).not.toContain(secret);
  });
});
