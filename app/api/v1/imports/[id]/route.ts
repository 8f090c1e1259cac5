import { requireActor } from '@/lib/actor';
import { methods } from '@/lib/http/route';
import { getImportJob } from '@/lib/testimonies/import';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req, { params }) => {
    const actor = await requireActor(req);
    const { id } = await params;
    return getImportJob(actor, String(id));
  },
});
