import { requireActor } from '@/lib/actor';
import { methods, readJson } from '@/lib/http/route';
import { updateDraft } from '@/lib/summaries';
import { DraftEdit } from '@/lib/summaries/content';
import { getPublication } from '@/lib/summaries/publication';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req, { params }) => getPublication(await requireActor(req), String((await params).id)),
  // The whole content, with the revision it was edited from: a stale revision is 409 and nothing is saved.
  PATCH: async (req, { params }) => {
    const actor = await requireActor(req);
    const body = await readJson(req, DraftEdit);
    return updateDraft(actor, String((await params).id), body);
  },
});
