import { z } from 'zod';
import { requireActor } from '@/lib/actor';
import { methods, readJson } from '@/lib/http/route';
import { approveSummary } from '@/lib/summaries';

// A refusal at publication is a Conflict whose issues name the cells: the error shape carries them (409).
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: async (req, { params }) => {
    const actor = await requireActor(req);
    await readJson(req, z.object({}).strict(), { emptyAs: {} });
    return approveSummary(actor, String((await params).id));
  },
});
