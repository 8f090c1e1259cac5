import { z } from 'zod';
import { requireActor } from '@/lib/actor';
import { json, methods, readJson } from '@/lib/http/route';
import { startNewVersion } from '@/lib/summaries';

// A new draft from the latest published content.
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: async (req, { params }) => {
    const actor = await requireActor(req);
    await readJson(req, z.object({}).strict(), { emptyAs: {} });
    const { number, revision } = await startNewVersion(actor, String((await params).id));
    return json({ version: number, revision }, { status: 201 });
  },
});
