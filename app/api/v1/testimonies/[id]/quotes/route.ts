import { requireActor } from '@/lib/actor';
import { json, methods, readJson } from '@/lib/http/route';
import { listQuotes, proposeQuote, QuoteProposal } from '@/lib/testimonies/quotes';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req, { params }) => {
    const actor = await requireActor(req);
    return { quotes: await listQuotes(actor, String((await params).id)) };
  },
  POST: async (req, { params }) => {
    const actor = await requireActor(req);
    const { originalText } = await readJson(req, QuoteProposal);
    return json(await proposeQuote(actor, String((await params).id), originalText), { status: 201 });
  },
});
