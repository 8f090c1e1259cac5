import 'server-only';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { organisation } from '@/db/schema';
import type { Actor } from '../access';
import { NotFound } from '../errors';
import { inTransaction } from '../scope';
import { operatorActingAs } from '../users';
import { UPLOAD_EXTENSIONS, textOfUpload } from './domain/html';
import { captureSource, type CaptureResult } from './index';

/** The command line acts with the machine's authority; audit rows name the operator, not a user. */
export const OPERATOR_USER_ID = '00000000-0000-0000-0000-000000000000'; // auditActor() in ./index recognises it

/** The actor an import runs as: a named user of the organisation (--as), or the operator. */
export async function importActor(orgSlug: string, asEmail?: string): Promise<Actor> {
  if (asEmail) return operatorActingAs(orgSlug, asEmail);
  return inTransaction(async (tx) => {
    const [org] = await tx.select().from(organisation).where(eq(organisation.slug, orgSlug));
    if (!org) throw new NotFound('organisation');
    return { userId: OPERATOR_USER_ID, orgId: org.id, orgSlug: org.slug, orgName: org.name, email: 'operator', role: 'admin', via: 'cli' };
  });
}

const ManifestEntry = z.object({
  file: z.string(),
  language: z.string().nullish(),
  publisher: z.string().nullish(),
  title: z.string().nullish(),
  published: z.string().nullish(),
  address: z.string().nullish(),
});
const Manifest = z.object({ sources: z.array(ManifestEntry) });
export type ManifestEntry = z.infer<typeof ManifestEntry>;

export function readManifest(file: string): Map<string, ManifestEntry> {
  const parsed = Manifest.parse(JSON.parse(readFileSync(file, 'utf8')));
  return new Map(parsed.sources.map((s) => [s.file, s]));
}

/** The report files under a path: the file itself, or the .txt/.md/.html files of a folder, by name. */
export function reportFiles(target: string): string[] {
  if (statSync(target).isFile()) return [target];
  return readdirSync(target)
    .filter((f) => UPLOAD_EXTENSIONS.test(f))
    .sort()
    .map((f) => path.join(target, f));
}

export interface ImportLine extends CaptureResult {
  file: string;
}

/** Imports each file as a captured report with the manifest's metadata; the same text again is reported as a duplicate. */
export async function importSources(
  actor: Actor,
  files: string[],
  opts: { manifest?: Map<string, ManifestEntry>; visibility?: 'public' | 'internal' } = {},
): Promise<ImportLine[]> {
  const out: ImportLine[] = [];
  for (const file of files) {
    const meta = opts.manifest?.get(path.basename(file));
    const published = meta?.published && /^\d{4}-\d{2}-\d{2}$/.test(meta.published) ? meta.published : undefined;
    const result = await captureSource(actor, {
      text: textOfUpload(file, readFileSync(file, 'utf8')),
      title: meta?.title ?? undefined,
      publisher: meta?.publisher ?? undefined,
      language: meta?.language ?? undefined,
      address: meta?.address ?? undefined,
      publishedOn: published,
      visibility: opts.visibility ?? 'internal',
    });
    out.push({ ...result, file });
  }
  return out;
}
