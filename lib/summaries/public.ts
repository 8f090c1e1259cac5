import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db } from '@/db';
import { summary, summaryVersion } from '@/db/schema';
import { NotFound } from '../errors';
import { etagMatches, summaryEtag } from './downloads';
import { getPublishedSummary, type PublicSummary } from './index';

// What the public pages, downloads and API need beyond the snapshot: the identity of one published
// representation (for ETags, without loading the snapshot), and the caching rule they share.

/**
 * How long a reader's browser or a shared cache may keep a summary page or download without asking.
 * The snapshot never changes, but its availability can (a retraction withdraws it, a new version
 * replaces the latest): an hour bounds how long a retracted summary can still be read from a cache,
 * and after it a revalidation with the ETag costs a 304 without rendering anything.
 */
export const PUBLIC_SUMMARY_CACHE = 'public, max-age=3600, must-revalidate';

/**
 * Summary pages (HTML) are stored but revalidated on every visit: their frame depends on the reader's
 * language cookie, and browsers reuse a stored page after that cookie changes even under
 * `Vary: Cookie` (seen in Chromium). The ETag names the language, so a changed language gets a fresh
 * page and an unchanged one a 304 from proxy.ts, with nothing rendered.
 */
export const PUBLIC_PAGE_CACHE = 'public, no-cache';

export interface SummaryTag {
  sha256: string | null;
  version: number;
  language: 'en' | 'ko';
  retractedAt: string | null;
  /** What the page shows around the snapshot: the latest published version and the readable translation. */
  latest: number;
  translation: string | null;
}

const SlugParam = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(100);
export const VersionParam = z.coerce.number().int().positive().max(1_000_000);

/**
 * The version shown at this address and its hash (null: no such published summary or version). Asked
 * on every signed-out page view (proxy.ts), so it is one statement, outside a transaction.
 */
export async function summaryTag(rawSlug: string, rawVersion?: string | null): Promise<SummaryTag | null> {
  const slug = SlugParam.safeParse(rawSlug);
  const version = rawVersion == null ? undefined : VersionParam.safeParse(rawVersion);
  if (!slug.success || (version && !version.success)) return null;
  const rows = await (await db())
    .select({
      number: summaryVersion.number,
      sha256: summaryVersion.snapshotSha256,
      language: summary.language,
      retractedAt: summary.retractedAt,
      latest: sql<number>`(select max(later.number) from summary_version later where later.summary_id = ${summary.id} and later.status = 'published')`,
      // Linked only while readable (published, not retracted), as getPublishedSummary links it.
      translation: sql<string | null>`(select other.slug from summary other where other.id = ${summary.translationId} and other.retracted_at is null
        and exists (select 1 from summary_version readable where readable.summary_id = other.id and readable.status = 'published'))`,
    })
    .from(summaryVersion)
    .innerJoin(summary, eq(summary.id, summaryVersion.summaryId))
    .where(and(eq(summary.slug, slug.data), eq(summaryVersion.status, 'published'), ...(version ? [eq(summaryVersion.number, version.data!)] : [])))
    .orderBy(desc(summaryVersion.number))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  return {
    sha256: row.retractedAt ? null : row.sha256,
    version: row.number,
    language: row.language,
    retractedAt: row.retractedAt ? new Date(row.retractedAt).toISOString() : null,
    latest: Number(row.latest),
    translation: row.translation ?? null,
  };
}

/** A published, not retracted summary for a download: retracted or never published answer 404 alike. */
export async function publishedForDownload(slug: string, rawVersion: string | null): Promise<PublicSummary & { snapshot: NonNullable<PublicSummary['snapshot']>; sha256: string }> {
  const version = rawVersion === null ? undefined : VersionParam.safeParse(rawVersion);
  if (version && !version.success) throw new NotFound('summary version');
  const s = await getPublishedSummary(slug, version?.data);
  if (!s.snapshot || !s.sha256) throw new NotFound('summary');
  return s as PublicSummary & { snapshot: NonNullable<PublicSummary['snapshot']>; sha256: string };
}

/** 304 when the reader already holds this representation; otherwise the headers a 200 carries. */
export function conditional(req: Request, etag: string): { notModified: Response | null; headers: Record<string, string> } {
  const headers = { etag, 'cache-control': PUBLIC_SUMMARY_CACHE };
  return { notModified: etagMatches(req.headers.get('if-none-match'), etag) ? new Response(null, { status: 304, headers }) : null, headers };
}

export { summaryEtag };
