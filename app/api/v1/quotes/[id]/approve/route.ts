import { requireActor } from '@/lib/actor';
import { methods, readJson } from '@/lib/http/route';
import { approveQuote, QuoteApproval } from '@/lib/testimonies/quotes';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: async (req, { params }) => {
    const actor = await requireActor(req);
    const body = await readJson(req, QuoteApproval, { emptyAs: {} });
    return approveQuote(actor, String((await params).id), body);
  },
});
