import { requireActor } from '@/lib/actor';
import { methods, readJson } from '@/lib/http/route';
import { retractSummary } from '@/lib/summaries';
import { Retraction } from '@/lib/summaries/content';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: async (req, { params }) => {
    const actor = await requireActor(req);
    const { reason } = await readJson(req, Retraction);
    return retractSummary(actor, String((await params).id), reason);
  },
});
