import { requireActor } from '@/lib/actor';
import { NewSourceLink } from '@/lib/claims/input';
import { json, methods, readJson } from '@/lib/http/route';
import { linkSource, sourcesOfTestimony } from '@/lib/sources/links';

const idOf = async (params: Promise<Record<string, string | string[]>>) => String((await params).id);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req, { params }) => {
    const actor = await requireActor(req);
    return { links: await sourcesOfTestimony(actor, await idOf(params)) };
  },
  POST: async (req, { params }) => {
    const actor = await requireActor(req);
    return json(await linkSource(actor, await idOf(params), await readJson(req, NewSourceLink)), { status: 201 });
  },
});
