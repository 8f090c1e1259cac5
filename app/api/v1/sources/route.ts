import { requireActor } from '@/lib/actor';
import { json, methods, readJson } from '@/lib/http/route';
import { captureSource, searchSources } from '@/lib/sources';
import { NewSource } from '@/lib/sources/input';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // Filters are validated by lib (SourceFilter): the page and the API share them.
  GET: async (req) => searchSources(await requireActor(req, { expensive: true }), Object.fromEntries(new URL(req.url).searchParams)),
  POST: async (req) => {
    const actor = await requireActor(req);
    const body = await readJson(req, NewSource, { maxBytes: 2_000_000 });
    const result = await captureSource(actor, body);
    // The same text again is the existing report: 200 with its id, not a second copy.
    return json(result, { status: result.duplicate ? 200 : 201 });
  },
});
