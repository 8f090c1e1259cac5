import 'server-only';
import type { SummaryVersion } from '@/db/schema';
import type { Actor } from '../access';
import type { SummaryContentValues } from './content';
import { getOrgSummary, listOrgSummaries } from './index';

// An organisation's summaries as the authoring API answers them (GET /api/v1/publications…): the
// workflow state, the open version with what its author wrote, and the versions' hashes. Who may
// read and which organisation is decided by getOrgSummary / listOrgSummaries.

export type PublicationStatus = 'draft' | 'in_review' | 'published' | 'retracted';

export interface Publication {
  id: string;
  slug: string;
  language: 'en' | 'ko';
  title: string;
  status: PublicationStatus;
  /** A worker counted in a published snapshot withdrew consent: a new version should be published. */
  flagged: boolean;
  /** The version being written or reviewed; null when none is open. */
  open: { version: number; status: 'draft' | 'in_review'; revision: number; content: SummaryContentValues; submittedAt: string | null; updatedAt: string } | null;
  versions: { number: number; status: SummaryVersion['status']; publishedAt: string | null; sha256: string | null }[];
  retracted: { at: string; reason: string } | null;
  createdAt: string;
}

export interface PublicationListItem {
  id: string;
  slug: string;
  language: 'en' | 'ko';
  title: string;
  status: PublicationStatus;
  flagged: boolean;
  /** The open version's number and state, if any. */
  open: { version: number; status: 'draft' | 'in_review' } | null;
  /** The latest published version, if any. */
  published: { version: number; publishedAt: string } | null;
  retracted: boolean;
  createdAt: string;
}

const isOpen = (status: SummaryVersion['status']): status is 'draft' | 'in_review' => status === 'draft' || status === 'in_review';

function statusOf(retracted: boolean, open: { status: 'draft' | 'in_review' } | undefined, anyPublished: boolean): PublicationStatus {
  if (retracted) return 'retracted';
  if (open) return open.status;
  return anyPublished ? 'published' : 'draft';
}

const titleOf = (content: unknown, fallback: string) => String((content as { title?: unknown } | null)?.title ?? fallback);

/** One summary of the actor's organisation (404 for another organisation's id, like a missing one). */
export async function getPublication(actor: Actor, id: string): Promise<Publication> {
  const { summary: s, versions } = await getOrgSummary(actor, id);
  const open = versions.find((v) => isOpen(v.status));
  const openStatus = open && isOpen(open.status) ? open.status : undefined;
  const shown = open ?? versions.filter((v) => v.status === 'published').at(-1) ?? versions.at(-1);
  return {
    id: s.id,
    slug: s.slug,
    language: s.language,
    title: titleOf(shown?.content, s.slug),
    status: statusOf(s.retractedAt !== null, openStatus && { status: openStatus }, versions.some((v) => v.status === 'published')),
    flagged: s.flaggedAt !== null && s.retractedAt === null,
    open:
      open && openStatus
        ? {
            version: open.number,
            status: openStatus,
            revision: open.revision,
            content: open.content as unknown as SummaryContentValues, // validated by SummaryContent on every save
            submittedAt: open.submittedAt?.toISOString() ?? null,
            updatedAt: open.updatedAt.toISOString(),
          }
        : null,
    versions: versions.map((v) => ({ number: v.number, status: v.status, publishedAt: v.publishedAt?.toISOString() ?? null, sha256: v.snapshotSha256 })),
    retracted: s.retractedAt ? { at: s.retractedAt.toISOString(), reason: s.retractionReason ?? '' } : null,
    createdAt: s.createdAt.toISOString(),
  };
}

/** The organisation's summaries, newest first. */
export async function listPublications(actor: Actor): Promise<PublicationListItem[]> {
  const rows = await listOrgSummaries(actor);
  return rows.map((s) => {
    const open = s.open && isOpen(s.open.status) ? { version: s.open.number, status: s.open.status } : null;
    const last = s.published.at(-1);
    return {
      id: s.id,
      slug: s.slug,
      language: s.language,
      title: s.title,
      status: statusOf(s.retractedAt !== null, open ?? undefined, s.published.length > 0),
      flagged: s.flaggedAt !== null && s.retractedAt === null,
      open,
      published: last?.publishedAt ? { version: last.number, publishedAt: last.publishedAt.toISOString() } : null,
      retracted: s.retractedAt !== null,
      createdAt: s.createdAt.toISOString(),
    };
  });
}
