import 'server-only';
import { and, asc, desc, eq, gte, ilike, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '@/db';
import { execRows } from '@/db';
import { sourceReport, type SourceReport } from '@/db/schema';
import { assertCan, can, type Actor } from '../access';
import { audit } from '../audit';
import { NotFound } from '../errors';
import { inOrg } from '../scope';
import { CREDIBILITY, isUnreliable, RELIABILITY } from './domain/grades';
import { detectLanguage, textSearchConfig } from './domain/language';
import { searchTerms } from './domain/search-query';
import { normaliseText, textHash } from './domain/text';
import { NewSource, SourceFilter, SourceUpdate, type NewSourceInput, type SourceFilterInput } from './input';

/** The search document of a report: 'simple' words of title (weight A) and text (B), plus the language's own stems. */
function searchVectorSql(title: SQL | string, text: SQL | string, language: string) {
  const config = textSearchConfig(language);
  const simple = sql`setweight(to_tsvector('simple', ${title}), 'A') || setweight(to_tsvector('simple', ${text}), 'B')`;
  if (!config) return simple;
  return sql`${simple} || setweight(to_tsvector(${config}::regconfig, ${title}), 'A') || setweight(to_tsvector(${config}::regconfig, ${text}), 'B')`;
}

const OPERATOR = '00000000-0000-0000-0000-000000000000';
/** The command line's operator is no user: its audit rows carry no actor id and the role 'operator'. */
export const auditActor = (actor: Actor): Actor | null => (actor.userId === OPERATOR && actor.via === 'cli' ? null : actor);

/** A title for a report that came without one: its first line, shortened. */
export function titleFromText(text: string): string {
  const first = text.split('\n').find((l) => l.trim()) ?? '';
  const clean = first.replace(/^[#*\s]+|[*\s]+$/g, '').trim();
  return clean.length > 120 ? `${clean.slice(0, 117).trimEnd()}…` : clean || 'Untitled report';
}

/**
 * Which reports an actor may see: their organisation's (staff only) and every public one. Every
 * read that reaches a report through something else (a link, a claim) filters by this too: another
 * organisation may make its report internal after it was linked.
 */
export function visibleTo(actor: Actor): SQL {
  const pub = eq(sourceReport.visibility, 'public');
  return can(actor, 'source.read', { orgId: actor.orgId }) ? or(eq(sourceReport.orgId, actor.orgId), pub)! : pub;
}

export interface CaptureResult {
  id: string;
  title: string;
  duplicate: boolean;
  textHash: string;
  language: string;
}

/**
 * Captures a report into the actor's organisation. The same normalised text again (by SHA-256)
 * answers the existing report with `duplicate: true` instead of storing a second copy.
 */
export async function captureSource(actor: Actor, raw: NewSourceInput): Promise<CaptureResult> {
  const input = NewSource.parse(raw);
  const text = normaliseText(input.text);
  const hash = textHash(text);
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'source.create', { orgId });
    const existing = await byHash(tx, orgId, hash);
    if (existing) return { id: existing.id, title: existing.title, duplicate: true, textHash: hash, language: existing.language };
    const language = input.language ?? detectLanguage(text) ?? 'und';
    const title = input.title ?? titleFromText(text);
    const [row] = await tx
      .insert(sourceReport)
      .values({
        orgId,
        title,
        publisher: input.publisher ?? null,
        address: input.address ?? null,
        language,
        publishedOn: input.publishedOn ?? null,
        capturedAt: input.capturedAt ? new Date(input.capturedAt) : new Date(),
        capturedBy: auditActor(actor)?.userId ?? null,
        capturedText: text,
        textHash: hash,
        reliability: input.reliability,
        credibility: input.credibility,
        visibility: input.visibility,
        searchVector: searchVectorSql(title, text, language),
      })
      .onConflictDoNothing() // another capture of the same text committed first
      .returning({ id: sourceReport.id });
    if (!row) {
      const winner = (await byHash(tx, orgId, hash))!;
      return { id: winner.id, title: winner.title, duplicate: true, textHash: hash, language: winner.language };
    }
    await audit(tx, auditActor(actor), {
      action: 'source.create',
      entity: 'source_report',
      entityId: row.id,
      orgId,
      actorRole: 'operator',
      details: { hash, language, visibility: input.visibility },
    });
    return { id: row.id, title, duplicate: false, textHash: hash, language };
  });
}

async function byHash(tx: Tx, orgId: string, hash: string) {
  const [row] = await tx
    .select({ id: sourceReport.id, title: sourceReport.title, language: sourceReport.language })
    .from(sourceReport)
    .where(and(eq(sourceReport.orgId, orgId), eq(sourceReport.textHash, hash)));
  return row;
}

export function presentSource(row: SourceReport, actor: Actor) {
  const { searchVector: _v, capturedBy: _b, ...rest } = row;
  return { ...rest, own: row.orgId === actor.orgId, unreliable: isUnreliable(row.reliability, row.credibility) };
}
export type PresentedSource = ReturnType<typeof presentSource>;

/** One report the actor may see; another organisation's internal report is "no such report". */
export async function getSource(actor: Actor, rawId: string): Promise<PresentedSource> {
  const id = z.uuid().safeParse(rawId);
  if (!id.success) throw new NotFound('source report');
  return inOrg(actor, async ({ tx }) => {
    const row = await loadVisible(tx, actor, id.data);
    return presentSource(row, actor);
  });
}

export async function loadVisible(tx: Tx, actor: Actor, id: string) {
  const [row] = await tx
    .select()
    .from(sourceReport)
    .where(and(eq(sourceReport.id, id), visibleTo(actor)));
  if (!row) throw new NotFound('source report');
  // A public report is public to everyone, its own organisation's researchers included.
  assertCan(actor, row.orgId === actor.orgId && row.visibility !== 'public' ? 'source.read' : 'source.readPublic', { orgId: row.orgId });
  return row;
}

/** Edits what is said about a report (title, language, grade, visibility…); its text stays as captured. */
export async function updateSource(actor: Actor, rawId: string, raw: z.input<typeof SourceUpdate>) {
  const input = SourceUpdate.parse(raw);
  const id = z.uuid().safeParse(rawId);
  if (!id.success) throw new NotFound('source report');
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'source.update', { orgId });
    const [row] = await tx
      .select()
      .from(sourceReport)
      .where(and(eq(sourceReport.id, id.data), eq(sourceReport.orgId, orgId)))
      .for('update');
    if (!row) throw new NotFound('source report');
    const title = input.title ?? row.title;
    const language = input.language ?? row.language;
    await tx
      .update(sourceReport)
      .set({
        title,
        publisher: input.publisher ?? null,
        address: input.address ?? null,
        language,
        publishedOn: input.publishedOn ?? null,
        reliability: input.reliability,
        credibility: input.credibility,
        visibility: input.visibility,
        searchVector: searchVectorSql(title, sql`${sourceReport.capturedText}`, language),
      })
      .where(and(eq(sourceReport.id, row.id), eq(sourceReport.orgId, orgId)));
    await audit(tx, actor, {
      action: 'source.update',
      entity: 'source_report',
      entityId: row.id,
      details: { language, reliability: input.reliability, credibility: input.credibility, visibility: input.visibility },
    });
    return { id: row.id };
  });
}

const HL_START = '\u{E000}';
const HL_STOP = '\u{E001}';

export interface SnippetPart {
  text: string;
  hit: boolean;
}

/** ts_headline's output split into plain and highlighted parts (never rendered as HTML). */
export function snippetParts(headline: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const [i, piece] of headline.split(HL_START).entries()) {
    if (i === 0) {
      if (piece) parts.push({ text: piece, hit: false });
      continue;
    }
    const [hit = '', rest = ''] = piece.split(HL_STOP);
    if (hit) parts.push({ text: hit, hit: true });
    if (rest) parts.push({ text: rest, hit: false });
  }
  return parts;
}

function tsQuery(q: string): SQL | null {
  const terms = searchTerms(q);
  if (!terms) return null;
  const perWord = terms.words.map(({ word, prefix }) => {
    const variants = [sql`to_tsquery('simple', ${`${prefix}:*`})`, ...terms.configs.map((c) => sql`to_tsquery(${c}::regconfig, ${word})`)];
    return sql`(${sql.join(variants, sql` || `)})`;
  });
  return sql.join(perWord, sql` && `);
}

const gradeAtMost = <T extends string>(all: readonly T[], worst: T) => all.slice(0, all.indexOf(worst) + 1);

/**
 * Full-text search over title and text of the reports the actor may see (their organisation's
 * and public ones), ranked, with highlighted snippets; without a query, newest first.
 */
export async function searchSources(actor: Actor, raw: SourceFilterInput = {}) {
  const f = SourceFilter.parse(raw);
  return inOrg(actor, async ({ tx, orgId }) => {
    if (!can(actor, 'source.read', { orgId })) assertCan(actor, 'source.readPublic');
    const query = f.q ? tsQuery(f.q) : null;
    const where: (SQL | undefined)[] = [
      visibleTo(actor),
      f.language ? eq(sourceReport.language, f.language) : undefined,
      f.publisher ? ilike(sourceReport.publisher, `%${f.publisher.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
      f.reliability ? inArray(sourceReport.reliability, gradeAtMost(RELIABILITY, f.reliability)) : undefined,
      f.credibility ? inArray(sourceReport.credibility, gradeAtMost(CREDIBILITY, f.credibility)) : undefined,
      f.from ? gte(sourceReport.publishedOn, f.from) : undefined,
      f.to ? lte(sourceReport.publishedOn, f.to) : undefined,
      f.visibility ? eq(sourceReport.visibility, f.visibility) : undefined,
    ];
    if (f.q && !query) return { sources: [], total: 0 };
    const columns = {
      id: sourceReport.id,
      orgId: sourceReport.orgId,
      title: sourceReport.title,
      publisher: sourceReport.publisher,
      language: sourceReport.language,
      publishedOn: sourceReport.publishedOn,
      capturedAt: sourceReport.capturedAt,
      reliability: sourceReport.reliability,
      credibility: sourceReport.credibility,
      visibility: sourceReport.visibility,
    };
    if (!query) {
      const rows = await tx
        .select(columns)
        .from(sourceReport)
        .where(and(...where))
        .orderBy(desc(sourceReport.capturedAt), asc(sourceReport.id))
        .limit(f.limit)
        .offset(f.offset);
      return { sources: rows.map((r) => ({ ...r, own: r.orgId === orgId, unreliable: isUnreliable(r.reliability, r.credibility), rank: null, snippet: [] as SnippetPart[] })) };
    }
    const filtered = await tx
      .select({ id: sourceReport.id })
      .from(sourceReport)
      .where(and(...where, sql`${sourceReport.searchVector} @@ (${query})`))
      .orderBy(desc(sql`ts_rank_cd(${sourceReport.searchVector}, ${query})`), asc(sourceReport.id))
      .limit(f.limit)
      .offset(f.offset);
    if (filtered.length === 0) return { sources: [] };
    const ids = filtered.map((r) => r.id);
    const options = `StartSel=${HL_START}, StopSel=${HL_STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;
    const rows = await execRows<{ id: string; rank: number; headline: string }>(
      tx,
      sql`select id, ts_rank_cd(search_vector, q)::float8 as rank, ts_headline('simple', captured_text, q, ${options}) as headline
          from source_report, (select ${query} as q) as query
          where id in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`,
    );
    const extra = new Map(rows.map((r) => [r.id, r]));
    const meta = await tx.select(columns).from(sourceReport).where(inArray(sourceReport.id, ids));
    const byId = new Map(meta.map((m) => [m.id, m]));
    return {
      sources: ids.map((id) => {
        const m = byId.get(id)!;
        const x = extra.get(id);
        return { ...m, own: m.orgId === orgId, unreliable: isUnreliable(m.reliability, m.credibility), rank: x ? Number(x.rank) : null, snippet: snippetParts(x?.headline ?? '') };
      }),
    };
  });
}

/** Publishers named on the reports the actor may see, for the filter list. */
export async function sourcePublishers(actor: Actor): Promise<string[]> {
  return inOrg(actor, async ({ tx }) => {
    const rows = await tx
      .selectDistinct({ publisher: sourceReport.publisher })
      .from(sourceReport)
      .where(and(visibleTo(actor), sql`${sourceReport.publisher} is not null`))
      .orderBy(asc(sourceReport.publisher))
      .limit(200);
    return rows.map((r) => r.publisher!);
  });
}
