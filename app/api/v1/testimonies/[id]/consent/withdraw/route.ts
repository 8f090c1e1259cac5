import { z } from 'zod';
import { requireActor } from '@/lib/actor';
import { methods, readJson } from '@/lib/http/route';
import { withdrawConsent } from '@/lib/testimonies';

const Body = z.object({ reason: z.string().trim().min(1).max(2000) }).strict();

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: async (req, { params }) => {
    const actor = await requireActor(req);
    const { reason } = await readJson(req, Body);
    return withdrawConsent(actor, String((await params).id), reason);
  },
});
