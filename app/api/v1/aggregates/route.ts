import { requireActor } from '@/lib/actor';
import { aggregateFor } from '@/lib/aggregates';
import { queryFromSearchParams } from '@/lib/aggregates/definitions';
import { methods } from '@/lib/http/route';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // lib decides who sees what, at which k, and audits the query; `by` may repeat.
  GET: async (req) => aggregateFor(await requireActor(req, { expensive: true }), queryFromSearchParams(new URL(req.url).searchParams)),
});
