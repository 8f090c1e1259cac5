import { requireActor } from '@/lib/actor';
import { aggregateFor } from '@/lib/aggregates';
import { aggregateCsv, aggregateCsvFilename } from '@/lib/aggregates/csv';
import { queryFromSearchParams } from '@/lib/aggregates/definitions';
import { csvResponse, methods } from '@/lib/http/route';

// The dashboard's "Download CSV": the same question through the same aggregateFor (checked,
// suppressed and audited alike), as CSV. Errors are the API's JSON error shape (403 for home province).
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req) => {
    const actor = await requireActor(req, { expensive: true });
    const answer = await aggregateFor(actor, queryFromSearchParams(new URL(req.url).searchParams));
    return csvResponse(aggregateCsv(answer), aggregateCsvFilename(answer, new Date()));
  },
});
