import { z } from 'zod';
import { NewTestimony, TestimonyFields } from '../testimonies/input';
import { QuoteApproval, QuoteProposal, QuoteRedaction } from '../testimonies/quote-input';
import { ErrorBody, Health, Me } from './schemas';

const errorRef = { $ref: '#/components/schemas/Error' };
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: `Error ${c}`, content: { 'application/json': { schema: errorRef } } }]));
const ok = (id: string, description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${id}` } } },
});
const body = (id: string) => ({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${id}` } } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const bearer = [{ bearer: [] }];
const anyJson = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function openApiDocument(version: string) {
  const registry = z.globalRegistry;
  // Request shapes as a client writes them (fields with defaults are optional).
  const generated = z.toJSONSchema(registry, { target: 'draft-2020-12', io: 'input', uri: (id) => `#/components/schemas/${id}` }).schemas;
  const schemas = Object.fromEntries(
    Object.entries(generated).map(([id, schema]) => {
      const { $schema: _s, $id: _i, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
  void [ErrorBody, Health, Me, NewTestimony, TestimonyFields, QuoteProposal, QuoteRedaction, QuoteApproval];
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
      '/api/v1/testimonies': {
        get: {
          summary: "The organisation's testimonies, newest first (no narrative)",
          security: bearer,
          parameters: [
            { name: 'status', in: 'query', schema: { type: 'string', enum: ['draft', 'submitted', 'approved'] } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          ],
          responses: { '200': anyJson('List'), ...errors(401, 403, 422) },
        },
        post: {
          summary: 'Record a testimony (a new subject code is generated unless subjectCode names an existing one)',
          security: bearer,
          requestBody: body('NewTestimony'),
          responses: { '201': anyJson('Created: id, subjectCode, version'), ...errors(400, 401, 403, 404, 413, 422) },
        },
      },
      '/api/v1/testimonies/{id}': {
        get: {
          summary: 'One testimony, narrative decrypted (staff of its organisation only; every read is audited)',
          security: bearer,
          parameters: [idParam],
          responses: { '200': anyJson('Testimony'), ...errors(401, 403, 404) },
        },
        patch: {
          summary: 'Edit: sections merge by key, lists and texts replace. Send the version edited (body "version" or If-Match); a stale one is 409.',
          security: bearer,
          parameters: [idParam, { name: 'If-Match', in: 'header', schema: { type: 'string' } }],
          requestBody: body('TestimonyFields'),
          responses: { '200': anyJson('New version'), ...errors(400, 401, 403, 404, 409, 413, 422) },
        },
      },
      '/api/v1/testimonies/{id}/submit': {
        post: { summary: 'Submit a draft for review', security: bearer, parameters: [idParam], responses: { '200': anyJson('Submitted'), ...errors(401, 403, 404, 409) } },
      },
      '/api/v1/testimonies/{id}/approve': {
        post: {
          summary: 'Approve (reviewer or admin; not the person who entered it)',
          security: bearer,
          parameters: [idParam],
          responses: { '200': anyJson('Approved'), ...errors(401, 403, 404, 409) },
        },
      },
      '/api/v1/testimonies/{id}/consent/withdraw': {
        post: {
          summary: 'Withdraw consent: the testimony leaves every count, export and quote at once',
          security: bearer,
          parameters: [idParam],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } } } } },
          responses: { '200': anyJson('Withdrawn'), ...errors(401, 403, 404, 409, 422) },
        },
      },
      '/api/v1/testimonies/{id}/quotes': {
        get: {
          summary: "The testimony's quotes with their originals (staff of its organisation; the read is audited)",
          security: bearer,
          parameters: [idParam],
          responses: { '200': anyJson('Quotes'), ...errors(401, 403, 404) },
        },
        post: {
          summary: 'Propose an excerpt for publication: the original is stored encrypted, the redaction starts as the automatic suggestion',
          security: bearer,
          parameters: [idParam],
          requestBody: body('QuoteProposal'),
          responses: { '201': anyJson('Proposed quote with its suggested redaction'), ...errors(400, 401, 403, 404, 413, 422) },
        },
      },
      '/api/v1/quotes/{id}': {
        patch: {
          summary: 'Edit the redacted text; the quote goes back to "proposed"',
          security: bearer,
          parameters: [idParam],
          requestBody: body('QuoteRedaction'),
          responses: { '200': anyJson('Quote'), ...errors(400, 401, 403, 404, 413, 422) },
        },
      },
      '/api/v1/quotes/{id}/approve': {
        post: {
          summary:
            'Approve the redaction (reviewer or admin). Refused (422) while it contains a digit or anything the suggestion would still replace; send redactedText to approve only the text you read (409 if it changed).',
          security: bearer,
          parameters: [idParam],
          requestBody: { required: false, content: { 'application/json': { schema: { $ref: '#/components/schemas/QuoteApproval' } } } },
          responses: { '200': anyJson('Approved quote'), ...errors(400, 401, 403, 404, 409, 422) },
        },
      },
      '/api/v1/quotes/{id}/reject': {
        post: {
          summary: 'Reject a quote (reviewer or admin); editing its redaction proposes it again',
          security: bearer,
          parameters: [idParam],
          responses: { '200': anyJson('Rejected quote'), ...errors(401, 403, 404, 409) },
        },
      },
      '/api/v1/openapi.json': {
        get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1 document' } } },
      },
    },
  };
}
