import { z } from 'zod';
import { requireActor } from '@/lib/actor';
import { methods, readJson } from '@/lib/http/route';
import { approveTestimony } from '@/lib/testimonies';

const Body = z.object({ version: z.number().int().positive().optional() }).strict();

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: async (req, { params }) => {
    const actor = await requireActor(req);
    const { version } = await readJson(req, Body, { emptyAs: {} });
    return approveTestimony(actor, String((await params).id), version);
  },
});
