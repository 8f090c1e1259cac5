import { requireActor } from '@/lib/actor';
import { csvResponse, methods } from '@/lib/http/route';
import { exportTestimoniesCsv } from '@/lib/testimonies/export';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req) => {
    const actor = await requireActor(req, { expensive: true });
    const out = await exportTestimoniesCsv(actor);
    return csvResponse(out.chunks, out.filename);
  },
});
