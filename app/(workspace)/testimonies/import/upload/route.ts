import { requireActor } from '@/lib/actor';
import { AppError, RateLimited, TooLarge } from '@/lib/errors';
import { requestIdFrom } from '@/lib/http/request-id';
import { withBodyLimit } from '@/lib/http/route';
import { describeError, log } from '@/lib/log';
import { importMaxBytes, importTestimoniesCsv, ImportRefused } from '@/lib/testimonies/import';

// The import form without JavaScript: a multipart post, then the import page shows the job's result.
// A relative Location: behind a proxy req.url may name another host than the browser used.
const back = (_req: Request, query: string) => new Response(null, { status: 303, headers: { location: `/testimonies/import?${query}`, 'cache-control': 'no-store' } });

export async function POST(req: Request) {
  const job = crypto.randomUUID();
  try {
    const actor = await requireActor(req, { expensive: true });
    const maxBytes = importMaxBytes();
    // Multipart adds a few hundred bytes of boundaries; the importer counts the file's own bytes.
    const limit = maxBytes + 64 * 1024;
    if (Number(req.headers.get('content-length') ?? '0') > limit) throw new TooLarge();
    // A chunked body has no length to check first: it is counted as it arrives, and reading stops at the limit.
    const body = withBodyLimit(req, limit);
    const form = await body.request.formData().catch(() => {
      if (body.exceeded()) throw new TooLarge();
      return null;
    });
    const file = form?.get('file');
    if (!file || typeof file === 'string' || file.size === 0) return back(req, 'error=no_file');
    await importTestimoniesCsv(actor, file.stream() as unknown as AsyncIterable<Uint8Array>, { jobId: job, maxBytes });
    return back(req, `job=${job}`);
  } catch (e) {
    if (e instanceof ImportRefused) return back(req, `job=${e.jobId}`);
    if (e instanceof TooLarge) return back(req, 'error=too_large');
    if (e instanceof RateLimited && e.problem?.key === 'tooManyRequests') return back(req, 'error=too_many_requests');
    // Only a code travels in the address: the page words it (no text of ours echoed from a URL).
    if (e instanceof AppError) return back(req, `error=${encodeURIComponent(e.code)}`);
    log.error('unexpected error in the import upload', { err: describeError(e), requestId: requestIdFrom(req.headers) });
    return back(req, 'error=internal');
  }
}
