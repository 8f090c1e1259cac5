import { requireActor } from '@/lib/actor';
import { methods, readJson } from '@/lib/http/route';
import { QuoteRedaction, updateRedaction } from '@/lib/testimonies/quotes';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  PATCH: async (req, { params }) => {
    const actor = await requireActor(req);
    const { redactedText } = await readJson(req, QuoteRedaction);
    return updateRedaction(actor, String((await params).id), redactedText);
  },
});
