import { z } from 'zod';
import { ErrorBody, Health, Me } from './schemas';

const errorRef = { $ref: '#/components/schemas/Error' };
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: `Error ${c}`, content: { 'application/json': { schema: errorRef } } }]));
const ok = (id: string, description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${id}` } } },
});

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function openApiDocument(version: string) {
  const registry = z.globalRegistry;
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` });
  void ErrorBody;
  void Health;
  void Me;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Testimony Ledger API',
      version,
      description:
        'JSON API. Authenticate with `Authorization: Bearer <token>` (create a token on your account page or with `npm run cli -- token create`). Errors always have the shape `{"error":{"code","message","issues"?}}`.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token (tl_…)' } },
      schemas,
    },
    paths: {
      '/api/health': {
        get: { summary: 'Service status and database in use', security: [], responses: { '200': ok('Health', 'Service is up'), ...errors(503) } },
      },
      '/api/v1/me': {
        get: {
          summary: 'The token owner (or signed-in user)',
          security: [{ bearer: [] }],
          responses: { '200': ok('Me', 'Who you are'), ...errors(401, 403) },
        },
      },
      '/api/v1/openapi.json': {
        get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1 document' } } },
      },
    },
  };
}
