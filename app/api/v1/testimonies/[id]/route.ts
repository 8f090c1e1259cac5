import { z } from 'zod';
import { requireActor } from '@/lib/actor';
import { BadInput } from '@/lib/errors';
import { methods, readJson } from '@/lib/http/route';
import { getTestimony, updateTestimony } from '@/lib/testimonies';

const idOf = async (params: Promise<Record<string, string | string[]>>) => String((await params).id);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req, { params }) => getTestimony(await requireActor(req), await idOf(params)),
  PATCH: async (req, { params }) => {
    const actor = await requireActor(req);
    const body = await readJson(req, z.record(z.string(), z.unknown())); // lib validates the fields
    // The version edited comes in the body or as If-Match (3, "3" or W/"3").
    const ifMatch = req.headers.get('if-match')?.replace(/^W\//, '').replaceAll('"', '');
    const version = body.version ?? (ifMatch ? Number(ifMatch) : undefined);
    if (version === undefined) throw new BadInput('Send the version you edited, as "version" in the body or as If-Match.');
    return updateTestimony(actor, await idOf(params), { ...body, version });
  },
});
