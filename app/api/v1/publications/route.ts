import { requireActor } from '@/lib/actor';
import { json, methods, readJson } from '@/lib/http/route';
import { createSummary } from '@/lib/summaries';
import { NewSummary } from '@/lib/summaries/content';
import { listPublications } from '@/lib/summaries/publication';

// Authoring public summaries over the API (reviewers and admins; lib/summaries decides who may).
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req) => ({ publications: await listPublications(await requireActor(req)) }),
  POST: async (req) => {
    const actor = await requireActor(req);
    const body = await readJson(req, NewSummary);
    const created = await createSummary(actor, body);
    return json({ id: created.id, slug: created.slug, version: created.number, revision: created.revision }, { status: 201 });
  },
});
