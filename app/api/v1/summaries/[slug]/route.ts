import { clientAddress } from '@/lib/http/client-address';
import { enforceRateLimit, RATE_LIMITS } from '@/lib/http/rate-limit';
import { json, methods } from '@/lib/http/route';
import { getPublishedSummary } from '@/lib/summaries';
import { summaryEtag } from '@/lib/summaries/downloads';
import { conditional, VersionParam } from '@/lib/summaries/public';
import { BadInput } from '@/lib/errors';

// Public: no token needed. One summary: the latest published snapshot (or ?version=n), its hash and
// versions; a retracted summary answers with its notice and no snapshot. ETag and 304 like the pages.
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req, { params }) => {
    await enforceRateLimit(RATE_LIMITS.publicRead, clientAddress(req.headers));
    const { slug } = (await params) as { slug: string };
    const raw = new URL(req.url).searchParams.get('version');
    const version = raw === null ? undefined : VersionParam.safeParse(raw);
    if (version && !version.success) throw new BadInput('version must be a positive whole number.', [{ path: 'version', message: 'Expected a positive whole number.' }]);
    const s = await getPublishedSummary(slug, version?.data);
    const shown = s.snapshot?.version ?? s.versions[0]?.number ?? 0;
    const etag = summaryEtag({ sha256: s.sha256, version: shown, language: s.language, form: 'api', retractedAt: s.retracted?.at, latest: s.versions[0]?.number, translation: s.translationSlug });
    const { notModified, headers } = conditional(req, etag);
    if (notModified) return notModified;
    return json(s, { headers: { ...headers, 'access-control-allow-origin': '*' } });
  },
});
