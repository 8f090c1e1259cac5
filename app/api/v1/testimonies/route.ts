import { z } from 'zod';
import { requireActor } from '@/lib/actor';
import { json, methods, readJson, readQuery } from '@/lib/http/route';
import { createTestimony, listTestimonies } from '@/lib/testimonies';
import { NewTestimony } from '@/lib/testimonies/input';

const ListQuery = z.object({
  status: z.enum(['draft', 'submitted', 'approved']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req) => {
    const actor = await requireActor(req);
    const q = readQuery(req, ListQuery);
    return { testimonies: await listTestimonies(actor, q) };
  },
  POST: async (req) => {
    const actor = await requireActor(req);
    const body = await readJson(req, NewTestimony);
    return json(await createTestimony(actor, body), { status: 201 });
  },
});
