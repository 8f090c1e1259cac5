import { requireActor } from '@/lib/actor';
import { methods, readJson } from '@/lib/http/route';
import { approveQuote, QuoteApproval } from '@/lib/testimonies/quotes';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: async (req, { params }) => {
    const actor = await requireActor(req);
    // Save and approve: the body names the text approved (an empty one is a 422 naming redactedText).
    const body = await readJson(req, QuoteApproval, { emptyAs: {} });
    return approveQuote(actor, String((await params).id), body);
  },
});
