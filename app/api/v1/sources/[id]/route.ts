import { requireActor } from '@/lib/actor';
import { methods, readJson } from '@/lib/http/route';
import { getSource, updateSource } from '@/lib/sources';
import { SourceUpdate } from '@/lib/sources/input';

const idOf = async (params: Promise<Record<string, string | string[]>>) => String((await params).id);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req, { params }) => getSource(await requireActor(req), await idOf(params)),
  PATCH: async (req, { params }) => {
    const actor = await requireActor(req);
    return updateSource(actor, await idOf(params), await readJson(req, SourceUpdate));
  },
});
