import { dbKind } from '@/db';
import { ping } from '@/lib/health';
import { methods } from '@/lib/http/route';
import { VERSION } from '@/lib/version';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async () => {
    await ping();
    return { status: 'ok', database: await dbKind(), version: VERSION };
  },
});
