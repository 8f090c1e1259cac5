import { NotFound } from '@/lib/errors';
import { clientAddress } from '@/lib/http/client-address';
import { enforceRateLimit, RATE_LIMITS } from '@/lib/http/rate-limit';
import { methods } from '@/lib/http/route';
import { downloadFilename, summaryCsv, summaryEtag, summaryJson } from '@/lib/summaries/downloads';
import { conditional, publishedForDownload } from '@/lib/summaries/public';

// /summaries/{slug}.csv and .json (rewritten here in next.config.mjs; ?version=n for an earlier
// version). Built from the snapshot only. Retracted or never published: 404 in the error shape.
async function download(req: Request, { params }: { params: Promise<Record<string, string | string[]>> }) {
  await enforceRateLimit(RATE_LIMITS.publicRead, clientAddress(req.headers));
  const { slug, format } = (await params) as { slug: string; format: string };
  if (format !== 'csv' && format !== 'json') throw new NotFound('download');
  const s = await publishedForDownload(slug, new URL(req.url).searchParams.get('version'));
  const etag = summaryEtag({ sha256: s.sha256, version: s.snapshot.version, language: s.language, form: format });
  const { notModified, headers } = conditional(req, etag);
  if (notModified) return notModified;
  const body = format === 'csv' ? summaryCsv(s.snapshot) : summaryJson(s.snapshot);
  return new Response(body, {
    status: 200,
    headers: {
      ...headers,
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${downloadFilename(s.snapshot, format)}"`,
      'x-snapshot-sha256': s.sha256,
      'access-control-allow-origin': '*',
    },
  });
}

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: download, HEAD: download });
