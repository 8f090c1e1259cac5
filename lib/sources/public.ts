import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { sourceReport } from '@/db/schema';
import { assertCan } from '../access';
import { NotFound } from '../errors';
import { inTransaction } from '../scope';

/**
 * A source report as anyone may read it, signed in or not: only reports marked public. An internal
 * report answers exactly as a missing id does, so its existence is never confirmed.
 */
export async function getPublicSource(rawId: string) {
  assertCan(null, 'source.readPublic'); // the public's right, read from the table like every other
  const id = z.uuid().safeParse(rawId);
  if (!id.success) throw new NotFound('source report');
  return inTransaction(async (tx) => {
    const [row] = await tx
      .select({
        id: sourceReport.id,
        title: sourceReport.title,
        publisher: sourceReport.publisher,
        address: sourceReport.address,
        language: sourceReport.language,
        publishedOn: sourceReport.publishedOn,
        capturedAt: sourceReport.capturedAt,
        capturedText: sourceReport.capturedText,
        textHash: sourceReport.textHash,
        reliability: sourceReport.reliability,
        credibility: sourceReport.credibility,
      })
      .from(sourceReport)
      .where(and(eq(sourceReport.id, id.data), eq(sourceReport.visibility, 'public')));
    if (!row) throw new NotFound('source report');
    return row;
  });
}
