import { openApiDocument } from '@/lib/api/openapi';
import { json, methods } from '@/lib/http/route';
import { VERSION } from '@/lib/version';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async () => json(openApiDocument(VERSION), { headers: { 'cache-control': 'public, max-age=300' } }),
});
