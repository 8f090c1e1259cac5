import { z } from 'zod';
import { CSV_HEADER } from '../testimonies/csv';
import { NewTestimony, TestimonyFields } from '../testimonies/input';
import { QuoteApproval, QuoteProposal, QuoteRedaction } from '../testimonies/quote-input';
import { NewClaim, NewSourceLink } from '../claims/input';
import { NewSource, SourceUpdate } from '../sources/input';
import { DIMENSION_IDS, FORBIDDEN_DIMENSIONS, MEASURE_IDS, PERIOD_PATTERN } from '../aggregates/definitions';
import { DraftEdit, NewSummary, Retraction } from '../summaries/content';
import {
  AggregateAnswerOut,
  ClaimsByQuestion,
  ErrorBody,
  Health,
  Me,
  PublicationCreated,
  PublicationListOut,
  PublicationOut,
  PublicationPublished,
  PublicSummaryOut,
  SourceCaptured,
  SourceReportOut,
  SourceSearchResult,
  SummaryList,
} from './schemas';

const errorRef = { $ref: '#/components/schemas/Error' };
const errorResponse = (c: number) =>
  c === 429
    ? {
        description: 'Too many requests (lib/http/rate-limit.ts): wait the seconds in Retry-After',
        headers: { 'Retry-After': { description: 'Seconds until the limit resets', schema: { type: 'integer', minimum: 1 } } },
        content: { 'application/json': { schema: errorRef } },
      }
    : { description: `Error ${c}`, content: { 'application/json': { schema: errorRef } } };
// A route that takes a token (it can answer 401) is also limited per token: 429.
const errors = (...codes: number[]) =>
  Object.fromEntries([...codes, ...(codes.includes(401) && !codes.includes(429) ? [429] : [])].map((c) => [String(c), errorResponse(c)]));
const ok = (id: string, description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${id}` } } },
});
const body = (id: string) => ({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${id}` } } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const bearer = [{ bearer: [] }];
const anyJson = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const emptyBody = { required: false, content: { 'application/json': { schema: { type: 'object', additionalProperties: false } } } };
const objectOf = (properties: Record<string, object>) => ({ type: 'object', required: Object.keys(properties), properties });
const answer = (description: string, properties: Record<string, object>) => ({ description, content: { 'application/json': { schema: objectOf(properties) } } });

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
  void [ErrorBody, Health, Me, NewTestimony, TestimonyFields, QuoteProposal, QuoteRedaction, QuoteApproval, NewSource, SourceUpdate, NewClaim, NewSourceLink, SourceCaptured, SourceReportOut, SourceSearchResult, ClaimsByQuestion, AggregateAnswerOut, SummaryList, PublicSummaryOut, NewSummary, DraftEdit, Retraction, PublicationOut, PublicationListOut, PublicationCreated, PublicationPublished];
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
    paths: refusingOtherBodyTypes({
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
          summary: "The organisation's testimonies, newest first unless `order` says otherwise (no narrative)",
          security: bearer,
          parameters: [
            { name: 'status', in: 'query', schema: { type: 'string', enum: ['draft', 'submitted', 'approved'] } },
            { name: 'order', in: 'query', schema: { type: 'string', enum: ['newest', 'oldest', 'interviewed-latest', 'interviewed-earliest'], default: 'newest' } },
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
            'Save and approve (reviewer or admin; not the person who proposed it): redactedText is the text approved, exactly as you read it, stored with the approval (validated as an edit is). Refused (422) while it contains a digit or anything the suggestion would still replace, or is empty, too long or holds a NUL; 409 when the quote is not proposed, or when expectedText (the redaction as you loaded it) no longer matches the stored one. Nothing is written when refused.',
          security: bearer,
          parameters: [idParam],
          requestBody: body('QuoteApproval'),
          responses: { '200': anyJson('Approved quote, with the redacted text approved'), ...errors(400, 401, 403, 404, 409, 413, 422) },
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
      '/api/v1/sources': {
        get: {
          summary: "Search the organisation's source reports and public ones: full text (ranked, with snippets) and filters",
          security: bearer,
          parameters: [
            { name: 'q', in: 'query', description: 'Words in any language; matched by stem where PostgreSQL has one, else by prefix', schema: { type: 'string', maxLength: 200 } },
            { name: 'language', in: 'query', schema: { type: 'string', example: 'pl' } },
            { name: 'publisher', in: 'query', description: 'Part of the publisher name', schema: { type: 'string' } },
            { name: 'reliability', in: 'query', description: 'This source grade or better', schema: { type: 'string', enum: ['A', 'B', 'C', 'D', 'E', 'F'] } },
            { name: 'credibility', in: 'query', description: 'This information grade or better', schema: { type: 'string', enum: ['1', '2', '3', '4', '5', '6'] } },
            { name: 'from', in: 'query', description: 'Published on or after', schema: { type: 'string', format: 'date' } },
            { name: 'to', in: 'query', description: 'Published on or before', schema: { type: 'string', format: 'date' } },
            { name: 'visibility', in: 'query', schema: { type: 'string', enum: ['public', 'internal'] } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 } },
            { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
          ],
          responses: { '200': ok('SourceSearchResult', 'Matching reports'), ...errors(401, 403, 422) },
        },
        post: {
          summary: 'Capture a source report. The text is normalised (NFC, LF, trimmed) and hashed; the same text again answers the existing report.',
          security: bearer,
          requestBody: body('NewSource'),
          responses: {
            '201': ok('SourceCaptured', 'Captured: a new report'),
            '200': ok('SourceCaptured', 'Already captured: the existing report (duplicate: true)'),
            ...errors(400, 401, 403, 413, 422),
          },
        },
      },
      '/api/v1/sources/{id}': {
        get: {
          summary: "One report with its captured text (the organisation's own, or a public one)",
          security: bearer,
          parameters: [idParam],
          responses: { '200': ok('SourceReport', 'The report'), ...errors(401, 403, 404) },
        },
        patch: {
          summary: 'Edit title, publisher, address, language, published date, grade and visibility (the text never changes)',
          security: bearer,
          parameters: [idParam],
          requestBody: body('SourceUpdate'),
          responses: { '200': anyJson('Updated'), ...errors(400, 401, 403, 404, 422) },
        },
      },
      '/api/v1/claims': {
        get: {
          summary: "The organisation's claims per question, side by side, marked agreeing/differing for the same period and unreliable by grade",
          security: bearer,
          parameters: [{ name: 'question', in: 'query', description: 'A question key', schema: { type: 'string' } }],
          responses: { '200': ok('ClaimsByQuestion', 'Claims'), ...errors(401, 403, 404, 422) },
        },
        post: {
          summary: 'Record a claim: a value a report gives on a question, standing on an excerpt of its text (422 when the excerpt is not in the text)',
          security: bearer,
          requestBody: body('NewClaim'),
          responses: { '201': anyJson('Created: id, question, excerpt offsets'), ...errors(400, 401, 403, 404, 413, 422) },
        },
      },
      '/api/v1/testimonies/{id}/sources': {
        get: { summary: 'Reports this testimony is linked to', security: bearer, parameters: [idParam], responses: { '200': anyJson('Links'), ...errors(401, 403, 404) } },
        post: {
          summary: 'Link the testimony to a report: corroborates, contradicts or context, with a note (encrypted)',
          security: bearer,
          parameters: [idParam],
          requestBody: body('NewSourceLink'),
          responses: { '201': anyJson('Linked'), ...errors(400, 401, 403, 404, 409, 413, 422) },
        },
      },
      '/api/v1/testimonies/import': {
        post: {
          summary: 'Import testimonies from CSV, all or nothing (caseworker, reviewer, admin)',
          description:
            `The columns are those of the template (GET /api/v1/testimonies/import/template): ${CSV_HEADER.join(', ')}. ` +
            'consent_scopes and consent_method are required; unknown columns are refused. An empty subject_code creates a new subject; a given code must already be a subject of your organisation; rows with an empty subject_code and the same subject_ref (a label of the file, never stored) are one new subject. ' +
            'Every row is validated before anything is written; one bad row refuses the whole file with 422, each problem named as "line N, column C". ' +
            'Larger than IMPORT_MAX_BYTES (default 50 MB): 413. Progress: pass ?job=<uuid> and poll GET /api/v1/imports/{id}. ' +
            'Imports running at once are limited: 429 when your organisation runs IMPORT_MAX_PER_ORG (default 2), 503 when this server runs IMPORT_MAX_PER_INSTANCE (default 3); both with Retry-After.',
          security: bearer,
          parameters: [{ name: 'job', in: 'query', required: false, schema: { type: 'string', format: 'uuid' }, description: 'An id for the import, chosen by the client, to poll its progress' }],
          requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
          responses: {
            '201': {
              description: 'Imported',
              content: {
                'application/json': {
                  schema: { type: 'object', required: ['imported', 'subjects', 'job'], properties: { imported: { type: 'integer' }, subjects: { type: 'integer', description: 'new subjects created' }, job: { type: 'string', format: 'uuid' }, sha256: { type: 'string' } } },
                },
              },
            },
            ...errors(401, 403, 409, 413, 415, 422),
            '503': {
              description: 'This server runs as many imports as it may: wait the seconds in Retry-After',
              headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } },
              content: { 'application/json': { schema: errorRef } },
            },
          },
        },
      },
      '/api/v1/testimonies/import/template': {
        get: { summary: 'The import template: header row and one example row', security: [], responses: { '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } } } },
      },
      '/api/v1/testimonies/export': {
        get: {
          summary: "The organisation's testimonies as CSV, without narrative or notes (reviewer, admin; audited)",
          description: 'Cells beginning with = + - @, a tab or a carriage return are prefixed with a single quote against formula injection.',
          security: bearer,
          responses: { '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } }, ...errors(401, 403) },
        },
      },
      '/api/v1/imports/{id}': {
        get: {
          summary: 'Progress or result of an import of your organisation',
          security: bearer,
          parameters: [idParam],
          responses: { '200': anyJson('status (receiving, writing, done, refused, failed), rowsDone, rowsTotal, imported, issues'), ...errors(401, 403, 404) },
        },
      },
      '/api/v1/aggregates': {
        get: {
          summary: 'Aggregate figures about workers: one measure broken down by up to two dimensions, with margins, under disclosure control (audited)',
          description:
            "Researchers see every organisation's research-consented workers; caseworkers, reviewers and admins their own organisation's. " +
            'Each worker counts once, through the latest approved testimony whose consent covers the audience and is not withdrawn. ' +
            'A count between 1 and k − 1 is never given: such a cell is `{"by": …, "suppressed": true}` with no count or value, and further cells are hidden the same way where totals would reveal it. Every hidden cell looks alike (shown to people as "not shown"): the answer never says which are small. ' +
            `Breaking down by ${FORBIDDEN_DIMENSIONS.join(', ')} is refused to everyone (403). Unknown parameters are refused (422).`,
          security: bearer,
          parameters: [
            { name: 'measure', in: 'query', description: 'What each cell gives (default workers)', schema: { type: 'string', enum: MEASURE_IDS, default: 'workers' } },
            {
              name: 'by',
              in: 'query',
              description: 'A breakdown; repeat for a cross table (by=year&by=site_type). At most two, each once.',
              style: 'form',
              explode: true,
              schema: { type: 'array', items: { type: 'string', enum: DIMENSION_IDS }, maxItems: 2, uniqueItems: true },
            },
            { name: 'from', in: 'query', description: 'First year or quarter (2023, 2023Q2) of the deployment start; free dates are refused', schema: { type: 'string', pattern: PERIOD_PATTERN } },
            { name: 'to', in: 'query', description: 'Last year or quarter, inclusive', schema: { type: 'string', pattern: PERIOD_PATTERN } },
          ],
          responses: { '200': ok('AggregateAnswer', 'Cells and margins with their suppression flags, and the k used'), ...errors(401, 403, 422) },
        },
      },
      '/api/v1/summaries': {
        get: {
          summary: 'Published summaries, newest publication first (public: no token needed)',
          security: [],
          responses: { '200': ok('SummaryList', 'Each summary once, at its latest published version; retracted ones flagged'), ...errors(429) },
        },
      },
      '/api/v1/summaries/{slug}': {
        get: {
          summary: 'One published summary: its frozen snapshot, hash and versions (public: no token needed)',
          description:
            'Answers from the snapshot frozen at publication, never from live data. A retracted summary answers with the notice and its reason and no snapshot. ' +
            'Sends `ETag` and `Cache-Control: public`; a request with a matching `If-None-Match` gets 304. ' +
            'Downloads: `/summaries/{slug}.csv` (every cell and margin; a hidden cell, small or hidden to protect another, has an empty count with suppressed=true, and k) and `/summaries/{slug}.json` (the snapshot exactly as hashed; `X-Snapshot-SHA256`), 404 when retracted.',
          security: [],
          parameters: [
            { name: 'slug', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' } },
            { name: 'version', in: 'query', description: 'An earlier published version (default: the latest)', schema: { type: 'integer', minimum: 1 } },
          ],
          responses: { '200': ok('PublicSummary', 'The summary'), '304': { description: 'Not modified (If-None-Match matched the ETag)' }, ...errors(404, 422, 429) },
        },
      },
      '/api/v1/publications': {
        get: {
          summary: "The organisation's public summaries, newest first: status, open version, latest published version (reviewer, admin)",
          security: bearer,
          responses: { '200': ok('PublicationList', 'Summaries'), ...errors(401, 403) },
        },
        post: {
          summary: 'Start a summary: its address (slug), language and a first draft, from the same content as the form (reviewer, admin)',
          description: 'The slug is unique across the instance (409 when taken). translationOf links the summary of the same text in the other language.',
          security: bearer,
          requestBody: body('NewSummary'),
          responses: { '201': ok('PublicationCreated', 'Created: the draft is version 1, revision 1'), ...errors(400, 401, 403, 404, 409, 413, 422) },
        },
      },
      '/api/v1/publications/{id}': {
        get: {
          summary: 'One summary of your organisation: status, the open version with its content and revision, every version with its hash, retraction',
          security: bearer,
          parameters: [idParam],
          responses: { '200': ok('Publication', 'The summary'), ...errors(401, 403, 404) },
        },
        patch: {
          summary: 'Save the draft (its author only): the whole content and the revision you edited; a stale revision is 409 and nothing is saved',
          security: bearer,
          parameters: [idParam],
          requestBody: body('SummaryDraftEdit'),
          responses: { '200': answer('Saved', { revision: { type: 'integer', minimum: 1 } }), ...errors(400, 401, 403, 404, 409, 413, 422) },
        },
      },
      '/api/v1/publications/{id}/submit': {
        post: {
          summary: 'Send the draft to review (its author only)',
          security: bearer,
          parameters: [idParam],
          requestBody: emptyBody,
          responses: { '200': answer('In review', { status: { const: 'in_review' } }), ...errors(400, 401, 403, 404, 409, 413, 422) },
        },
      },
      '/api/v1/publications/{id}/return': {
        post: {
          summary: 'Send the version in review back to draft (its author, or a reviewer who would not approve it as it is)',
          security: bearer,
          parameters: [idParam],
          requestBody: emptyBody,
          responses: { '200': answer('Draft again', { status: { const: 'draft' } }), ...errors(400, 401, 403, 404, 409, 413, 422) },
        },
      },
      '/api/v1/publications/{id}/approve': {
        post: {
          summary: 'Publish the version in review (reviewer or admin; never its author): the snapshot of every number is computed and frozen',
          description:
            'Before anything is stored the snapshot is checked against everything published before it. When a reader could work out a count of fewer than k workers by combining published numbers, ' +
            'publication is refused with 409 and `error.issues` names each cell and what it combines with; the version stays in review.',
          security: bearer,
          parameters: [idParam],
          requestBody: emptyBody,
          responses: { '200': ok('PublicationPublished', 'Published'), ...errors(400, 401, 403, 404, 409, 413, 422) },
        },
      },
      '/api/v1/publications/{id}/versions': {
        post: {
          summary: 'Start a new version (a draft from the latest published content); 409 while a version is open or after retraction',
          security: bearer,
          parameters: [idParam],
          requestBody: emptyBody,
          responses: {
            '201': answer('The new draft', { version: { type: 'integer', minimum: 2 }, revision: { type: 'integer', minimum: 1 } }),
            ...errors(400, 401, 403, 404, 409, 413, 422),
          },
        },
      },
      '/api/v1/publications/{id}/retract': {
        post: {
          summary: 'Retract: the public page stays with a notice and the reason, its numbers and downloads are withdrawn; an open version is discarded',
          security: bearer,
          parameters: [idParam],
          requestBody: body('SummaryRetraction'),
          responses: { '200': answer('Retracted', { retractedAt: { type: 'string', format: 'date-time' } }), ...errors(400, 401, 403, 404, 409, 413, 422) },
        },
      },
      '/api/v1/openapi.json': {
        get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1 document' } } },
      },
    }),
  };
}

type Operation = { requestBody?: { content?: Record<string, unknown> }; responses?: Record<string, unknown> };

/** Every operation that reads a JSON body answers 415 to another content type (readJson in lib/http/route.ts). */
function refusingOtherBodyTypes<P extends Record<string, Record<string, unknown>>>(paths: P): P {
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item) as Operation[]) {
      if (op.requestBody?.content?.['application/json'] && op.responses && !op.responses['415']) op.responses['415'] = errorResponse(415);
    }
  }
  return paths;
}
