import { z } from 'zod';
import { requireActor } from '@/lib/actor';
import { methods, readJson } from '@/lib/http/route';
import { returnToDraft } from '@/lib/summaries';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: async (req, { params }) => {
    const actor = await requireActor(req);
    await readJson(req, z.object({}).strict(), { emptyAs: {} });
    return returnToDraft(actor, String((await params).id));
  },
});
