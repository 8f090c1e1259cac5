import { requireActor } from '@/lib/actor';
import { methods } from '@/lib/http/route';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req) => {
    const actor = await requireActor(req);
    return { id: actor.userId, email: actor.email, role: actor.role, organisation: { slug: actor.orgSlug, name: actor.orgName } };
  },
});
