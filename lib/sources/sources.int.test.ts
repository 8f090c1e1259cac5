import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsByQuestion, createClaim } from '@/lib/claims';
import { BadInput, NotFound } from '@/lib/errors';
import { createTestimony, getTestimony } from '@/lib/testimonies';
import { orgWithActors, type RoleActors } from '@/test/actors';
import { databaseError, freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { ENGLISH_ENTRIES, ENGLISH_SHIFTS, KOREAN_ENTRIES, POLISH_ENTRIES } from '@/test/source-fixtures';
import { captureSource, getSource, searchSources, updateSource } from './index';
import { linkSource, sourcesOfTestimony, testimoniesOfSource } from './links';

let database: TestDatabase;
let a: RoleActors;
let b: RoleActors;
const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await freshDatabase();
  a = await orgWithActors('sa');
  b = await orgWithActors('sb');
  ids.en = (await captureSource(a.caseworker, { text: ENGLISH_ENTRIES, publisher: 'Border Monitor', reliability: 'B', credibility: '2', publishedOn: '2025-02-10' })).id;
  ids.shifts = (await captureSource(a.caseworker, { text: ENGLISH_SHIFTS, publisher: 'Harbour Weekly', reliability: 'C', credibility: '3' })).id;
  ids.pl = (await captureSource(a.caseworker, { text: POLISH_ENTRIES, reliability: 'E', credibility: '3' })).id;
  ids.ko = (await captureSource(a.caseworker, { text: KOREAN_ENTRIES, reliability: 'C', credibility: '3' })).id;
  // The other organisation: one internal report that must never reach organisation A, one public.
  ids.bInternal = (await captureSource(b.caseworker, { text: `${ENGLISH_ENTRIES}\nInternal note of organisation B about arrivals.` })).id;
  ids.bPublic = (await captureSource(b.caseworker, { text: `${ENGLISH_SHIFTS}\nPublished by organisation B.`, visibility: 'public', reliability: 'B', credibility: '2' })).id;
});
afterAll(() => database.drop());

describe(`source reports on ${testDbKind}`, () => {
  it('detects the language of each fixture when none is given', async () => {
    expect((await getSource(a.caseworker, ids.en!)).language).toBe('en');
    expect((await getSource(a.caseworker, ids.pl!)).language).toBe('pl');
    expect((await getSource(a.caseworker, ids.ko!)).language).toBe('ko');
  });

  it('capturing the same text again (other line endings, decomposed letters, spaces) answers the existing report', async () => {
    const again = await captureSource(a.caseworker, { text: `\n  ${POLISH_ENTRIES.normalize('NFD').replace(/\n/g, '\r\n')}  \n` });
    expect(again).toMatchObject({ id: ids.pl, duplicate: true });
    const count = await database.db.execute(sql`select count(*)::int as n from source_report where org_id = ${a.orgId}`);
    expect(Number((Array.isArray(count) ? count[0] : (count as { rows: { n: number }[] }).rows[0])!.n)).toBe(4);
    // Another organisation capturing the same text gets its own report.
    const other = await captureSource(b.caseworker, { text: POLISH_ENTRIES });
    expect(other.duplicate).toBe(false);
    expect(other.id).not.toBe(ids.pl);
  });

  it('the captured text cannot be changed, even by SQL; the language can be corrected', async () => {
    const message = await databaseError(database.db.execute(sql`update source_report set captured_text = 'changed' where id = ${ids.en}`));
    expect(message).toMatch(/immutable/);
    await updateSource(a.caseworker, ids.ko!, { language: 'ko', title: '러시아의 북한 노동자 (corrected title)', reliability: 'C', credibility: '3' });
    expect((await getSource(a.caseworker, ids.ko!)).title).toContain('corrected title');
  });

  it('a Polish query finds the Polish report, with a highlighted snippet', async () => {
    const { sources } = await searchSources(a.caseworker, { q: 'pracownicy budowy' });
    expect(sources.map((s) => s.id)).toContain(ids.pl);
    const pl = sources.find((s) => s.id === ids.pl)!;
    expect(pl.snippet.some((p) => p.hit)).toBe(true);
    expect(sources.map((s) => s.id)).not.toContain(ids.en);
  });

  it('English queries find the English reports (stemmed: "shift" finds "shifts"), ranked, with snippets', async () => {
    const { sources } = await searchSources(a.caseworker, { q: 'shift ledger' });
    expect(sources[0]?.id).toBe(ids.shifts);
    expect(sources[0]!.snippet.filter((p) => p.hit).map((p) => p.text.toLowerCase())).toEqual(expect.arrayContaining(['ledger']));
    const arrivals = await searchSources(a.caseworker, { q: 'arrival study' });
    expect(arrivals.sources.map((s) => s.id)).toContain(ids.en);
  });

  it('a Korean query finds the Korean report', async () => {
    const { sources } = await searchSources(a.caseworker, { q: '노동자 유학' });
    expect(sources.map((s) => s.id)).toEqual([ids.ko]);
  });

  it("search covers the organisation's own reports and public ones, never another organisation's internal report", async () => {
    const { sources } = await searchSources(a.caseworker, { q: 'arrivals' });
    const found = sources.map((s) => s.id);
    expect(found).toContain(ids.en);
    expect(found).not.toContain(ids.bInternal);
    const shifts = await searchSources(a.caseworker, { q: 'shifts' });
    expect(shifts.sources.map((s) => s.id)).toContain(ids.bPublic);
    const all = await searchSources(a.caseworker, {});
    expect(all.sources.map((s) => s.id)).not.toContain(ids.bInternal);
  });

  it('filters by language, publisher, grade and published period', async () => {
    expect((await searchSources(a.caseworker, { language: 'pl' })).sources.map((s) => s.id)).toEqual([ids.pl]);
    expect((await searchSources(a.caseworker, { publisher: 'border' })).sources.map((s) => s.id)).toEqual([ids.en]);
    const graded = (await searchSources(a.caseworker, { reliability: 'B' })).sources.map((s) => s.id);
    expect(graded).toContain(ids.en);
    expect(graded).not.toContain(ids.pl);
    expect((await searchSources(a.caseworker, { from: '2025-01-01', to: '2025-12-31' })).sources.map((s) => s.id)).toEqual([ids.en]);
  });

  it("another organisation's internal report is 404; its public report can be read", async () => {
    await expect(getSource(a.caseworker, ids.bInternal!)).rejects.toBeInstanceOf(NotFound);
    await expect(getSource(a.admin, ids.bInternal!)).rejects.toBeInstanceOf(NotFound);
    expect((await getSource(a.caseworker, ids.bPublic!)).own).toBe(false);
    await expect(updateSource(a.caseworker, ids.bPublic!, { title: 'taken over' })).rejects.toBeInstanceOf(NotFound);
  });

  it('a researcher sees public reports only', async () => {
    await expect(getSource(a.researcher, ids.en!)).rejects.toBeInstanceOf(NotFound);
    expect((await searchSources(a.researcher, {})).sources.every((s) => s.visibility === 'public')).toBe(true);
  });
});

describe(`claims on ${testDbKind}`, () => {
  it('an excerpt not in the captured text is refused with a clear message', async () => {
    const err = await createClaim(a.caseworker, {
      question: 'north-korean-entries-to-russia',
      questionTitle: 'North Korean entries to Russia',
      sourceId: ids.en!,
      valueKind: 'number',
      value: 13500,
      excerpt: 'counted 99,999 arrivals',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInput);
    expect((err as BadInput).status).toBe(422);
    expect((err as BadInput).message).toMatch(/not in the captured text/);
  });

  it('stores the offsets of the selected excerpt, checked against the text', async () => {
    const excerpt = 'counted 13,500 arrivals';
    const start = ENGLISH_ENTRIES.indexOf(excerpt);
    const made = await createClaim(a.caseworker, {
      question: 'north-korean-entries-to-russia',
      questionTitle: 'North Korean entries to Russia',
      sourceId: ids.en!,
      valueKind: 'number',
      value: 13500,
      unit: 'people',
      period: '2024',
      excerpt,
      excerptStart: start,
      excerptEnd: start + excerpt.length,
    });
    expect(made).toMatchObject({ excerptStart: start, excerptEnd: start + excerpt.length });
    // Wrong offsets for an excerpt that is not there at all: refused.
    await expect(
      createClaim(a.caseworker, { question: 'north-korean-entries-to-russia', sourceId: ids.en!, valueKind: 'number', value: 1, excerpt: 'arrivals of South', excerptStart: 0, excerptEnd: 17 }),
    ).rejects.toBeInstanceOf(BadInput);
  });

  it('the comparison marks differing values for the same period and unreliable grades', async () => {
    const plExcerpt = 'wjechało 12 000 obywateli Korei Północnej';
    await createClaim(a.caseworker, { question: 'north-korean-entries-to-russia', sourceId: ids.pl!, valueKind: 'number', value: 12000, unit: 'people', period: '2024', excerpt: plExcerpt });
    const [q] = await claimsByQuestion(a.caseworker, { question: 'north-korean-entries-to-russia' });
    expect(q!.claims).toHaveLength(2);
    expect(q!.claims.every((c) => c.agreement === 'differs')).toBe(true);
    expect(q!.claims.find((c) => c.sourceId === ids.pl)!.unreliable).toBe(true); // graded E
    expect(q!.claims.find((c) => c.sourceId === ids.en)!.unreliable).toBe(false);
    // A third source with 13,500 agrees with the first, and still differs from the Polish one.
    const koExcerpt = '1만 3천 명이';
    await createClaim(a.caseworker, { question: 'north-korean-entries-to-russia', sourceId: ids.ko!, valueKind: 'range', value: 13000, valueHigh: 14000, unit: 'people', period: '2024-01/2024-12', excerpt: koExcerpt });
    const [again] = await claimsByQuestion(a.caseworker, { question: 'north-korean-entries-to-russia' });
    expect(again!.claims.find((c) => c.sourceId === ids.ko)!.agreement).toBe('differs');
    expect(again!.claims).toHaveLength(3);
  });

  it("claims are the organisation's own; another organisation sees none of them", async () => {
    expect(await claimsByQuestion(b.caseworker)).toEqual([]);
    await expect(claimsByQuestion(b.caseworker, { question: 'north-korean-entries-to-russia' })).rejects.toBeInstanceOf(NotFound);
    await expect(
      createClaim(b.caseworker, { question: 'x-entries', questionTitle: 'Entries', sourceId: ids.en!, valueKind: 'number', value: 1, excerpt: 'counted 13,500 arrivals' }),
    ).rejects.toBeInstanceOf(NotFound);
  });
});

describe(`testimony links on ${testDbKind}`, () => {
  it('links a testimony to a report with a relation and an encrypted note, shown from both sides', async () => {
    const { id } = await createTestimony(a.caseworker, { consent: { scopes: ['internal'], method: 'oral' } });
    await linkSource(a.caseworker, id, { sourceId: ids.shifts!, relation: 'corroborates', note: 'LINKNOTE same shift hours' });
    expect(await sourcesOfTestimony(a.caseworker, id)).toEqual([expect.objectContaining({ sourceId: ids.shifts, relation: 'corroborates', note: 'LINKNOTE same shift hours' })]);
    const back = await testimoniesOfSource(a.caseworker, ids.shifts!);
    expect(back[0]).toMatchObject({ testimonyId: id, relation: 'corroborates' });
    expect(back[0]!.subjectCode).toBe((await getTestimony(a.caseworker, id)).subjectCode);
    const dump = JSON.stringify(await database.db.execute(sql`select * from testimony_source`));
    expect(dump).not.toContain('LINKNOTE');
    await expect(linkSource(a.caseworker, id, { sourceId: ids.bInternal!, relation: 'context' })).rejects.toBeInstanceOf(NotFound);
    await expect(linkSource(b.caseworker, id, { sourceId: ids.bPublic!, relation: 'context' })).rejects.toBeInstanceOf(NotFound);
  });
});
