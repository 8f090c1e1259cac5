import { requireActor } from '@/lib/actor';
import { json, methods, readJson } from '@/lib/http/route';
import { createTestimony, listTestimonies } from '@/lib/testimonies';
import { NewTestimony } from '@/lib/testimonies/input';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req) => {
    const actor = await requireActor(req);
    // Filters and cursor are validated by lib (TestimonyFilter): the page and the API share them.
    return listTestimonies(actor, Object.fromEntries(new URL(req.url).searchParams));
  },
  POST: async (req) => {
    const actor = await requireActor(req);
    const body = await readJson(req, NewTestimony);
    return json(await createTestimony(actor, body), { status: 201 });
  },
});
