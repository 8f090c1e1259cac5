import { z } from 'zod';
import { requireActor } from '@/lib/actor';
import { claimsByQuestion, createClaim } from '@/lib/claims';
import { NewClaim } from '@/lib/claims/input';
import { json, methods, readJson, readQuery } from '@/lib/http/route';

const ClaimsQuery = z.object({ question: z.string().max(80).optional() });

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req) => {
    const actor = await requireActor(req);
    const { question } = readQuery(req, ClaimsQuery);
    return { questions: await claimsByQuestion(actor, { question }) };
  },
  POST: async (req) => {
    const actor = await requireActor(req);
    return json(await createClaim(actor, await readJson(req, NewClaim)), { status: 201 });
  },
});
