import { z } from 'zod';
import { ROLES } from '../access';
import { FACT_AUDIENCES } from '../aggregates/facts';
import { DIMENSION_IDS, MEASURE_IDS } from '../aggregates/definitions';
import type { AggregateAnswer } from '../aggregates';
import { SummaryContent } from '../summaries/content';
import type { Publication, PublicationListItem } from '../summaries/publication';

// Response and request shapes of the HTTP API: used by the routes and by the OpenAPI document.
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      /** The request's id (also in the x-request-id header): the server's log lines of this request carry it. */
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

export const Health = z
  .object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']), version: z.string() })
  .meta({ id: 'Health' });

export const Me = z
  .object({
    id: z.uuid(),
    email: z.email(),
    role: z.enum(ROLES),
    organisation: z.object({ slug: z.string(), name: z.string() }),
  })
  .meta({ id: 'Me' });

export const SourceCaptured = z
  .object({
    id: z.uuid(),
    title: z.string(),
    duplicate: z.boolean().describe('true when the same normalised text was captured before: the existing report'),
    textHash: z.string().describe('SHA-256 (hex) of the normalised text'),
    language: z.string(),
  })
  .meta({ id: 'SourceCaptured' });

export const SourceReportOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    own: z.boolean(),
    title: z.string(),
    publisher: z.string().nullable(),
    address: z.string().nullable(),
    language: z.string(),
    publishedOn: z.string().nullable(),
    capturedAt: z.string(),
    capturedText: z.string(),
    textHash: z.string(),
    reliability: z.enum(['A', 'B', 'C', 'D', 'E', 'F']),
    credibility: z.enum(['1', '2', '3', '4', '5', '6']),
    visibility: z.enum(['public', 'internal']),
    unreliable: z.boolean(),
  })
  .meta({ id: 'SourceReport' });

export const SourceSearchResult = z
  .object({
    sources: z.array(
      SourceReportOut.omit({ capturedText: true, textHash: true, address: true }).extend({
        rank: z.number().nullable(),
        snippet: z.array(z.object({ text: z.string(), hit: z.boolean() })).describe('ts_headline fragments; hit marks matched words'),
      }),
    ),
  })
  .meta({ id: 'SourceSearchResult' });

export const ClaimsByQuestion = z
  .object({
    questions: z.array(
      z.object({
        key: z.string(),
        title: z.string(),
        claims: z.array(
          z.object({
            id: z.uuid(),
            sourceId: z.uuid(),
            sourceTitle: z.string(),
            publisher: z.string().nullable(),
            valueKind: z.enum(['number', 'range', 'text']),
            valueLow: z.number().nullable(),
            valueHigh: z.number().nullable(),
            valueText: z.string().nullable(),
            unit: z.string().nullable(),
            periodStart: z.string().nullable(),
            periodEnd: z.string().nullable(),
            excerpt: z.string(),
            excerptStart: z.number().int(),
            excerptEnd: z.number().int(),
            reliability: z.string(),
            credibility: z.string(),
            agreement: z.enum(['agrees', 'differs', 'alone', 'no-period']),
            unreliable: z.boolean(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'ClaimsByQuestion' });

const AggregateBy = z.partialRecord(z.enum(DIMENSION_IDS), z.string()).describe('The cell\'s value of each breakdown; {} is the grand total');

// A suppressed cell carries its position and nothing else: no count, no figure (strict, so the
// document and the tests refuse any extra field on it).
export const AggregateCell = z
  .union([
    z
      .object({
        by: AggregateBy,
        count: z.number().int().min(0).describe('Workers in the cell: 0 or at least k'),
        value: z.number().nullable().describe('The measure for the cell (rounded), null for the count measure or when fewer than k workers answered'),
      })
      .strict(),
    z.object({ by: AggregateBy, suppressed: z.literal(true).describe('Not shown: the cell is hidden, either because it is small or to protect another hidden cell, and the answer never says which (see /methodology#suppression). No count, no figure.') }).strict(),
  ])
  .meta({ id: 'AggregateCell' });

export const AggregateAnswerOut = z
  .object({
    measure: z.enum(MEASURE_IDS),
    kind: z.enum(['count', 'median', 'share']),
    unit: z.enum(['workers', 'hours', 'days', 'percent', 'usd']),
    by: z.array(z.enum(DIMENSION_IDS)).max(2),
    period: z.object({ from: z.string().nullable(), to: z.string().nullable() }).strict(),
    audience: z.enum(FACT_AUDIENCES).describe('research: every organisation\'s research-consented workers (researchers); internal: your organisation\'s (staff)'),
    k: z.number().int().min(3).describe('Minimum cell size used: no count between 1 and k − 1 is ever shown'),
    values: z.record(z.string(), z.array(z.string())).describe('The values of each breakdown, in display order'),
    cells: z.array(AggregateCell),
    margins: z.array(AggregateCell).describe('Row totals, column totals (two breakdowns) and the grand total (by: {}), last'),
    perturbed: z
      .boolean()
      .optional()
      .describe(
        'true for researchers: every count (cells, totals, and the counts behind shares) is the true count plus a small fixed noise (the cell-key method, /methodology#perturbation), so totals do not equal the sum of their cells. false: exact (staff on their own organisation). Absent in published summaries (exact).',
      ),
    perturbation: z
      .object({
        maxDeviation: z.number().int().min(1).describe('D: no count is more than D away from the true count'),
        variance: z.number().positive().describe('V: the variance of the noise of counts above D'),
      })
      .strict()
      .optional()
      .describe('The parameters of the perturbation table, when perturbed'),
  })
  .strict()
  .meta({ id: 'AggregateAnswer' });

// The document describes exactly what lib answers: a change to either side breaks the type check.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const aggregateAnswerMatches: Same<z.infer<typeof AggregateAnswerOut>, AggregateAnswer> = true;

// --- Public summaries (no token needed) -------------------------------------------------------

const PublishedScope = z
  .object({ from: z.string(), to: z.string(), districts: z.array(z.string()).optional(), siteTypes: z.array(z.string()).optional() })
  .describe('The period (years or quarters of deployment start) and, when limited, the federal districts and site types');

export const SummaryListItem = z
  .object({
    slug: z.string(),
    language: z.enum(['en', 'ko']),
    title: z.string(),
    organisation: z.string(),
    version: z.number().int().positive().describe('The latest published version'),
    publishedAt: z.string().describe('ISO 8601'),
    retracted: z.boolean().describe('A retracted summary keeps its page with a notice; its numbers and downloads are withdrawn'),
    scope: PublishedScope,
  })
  .strict()
  .meta({ id: 'SummaryListItem' });

export const SummaryList = z.object({ summaries: z.array(SummaryListItem) }).strict().meta({ id: 'SummaryList' });

export const SummarySnapshotOut = z
  .object({
    schema: z.literal(1),
    slug: z.string(),
    language: z.enum(['en', 'ko']),
    title: z.string(),
    body: z.string().describe('Markdown; render without raw HTML'),
    version: z.number().int().positive(),
    publishedAt: z.string(),
    organisation: z.string(),
    k: z.number().int().describe('Minimum cell size used at publication: no count between 1 and k − 1 appears'),
    scope: PublishedScope,
    sections: z.array(
      z.object({ measure: z.string(), by: z.array(z.string()), chart: z.string(), caption: z.string(), answer: AggregateAnswerOut.describe('The frozen aggregate answer (audience public_aggregate)') }).strict(),
    ),
    quotes: z.array(z.object({ id: z.string(), text: z.string().describe('Approved redacted text') }).strict()),
    sources: z.array(
      z
        .object({ id: z.string(), title: z.string(), publisher: z.string().nullable(), address: z.string().nullable(), publishedOn: z.string().nullable(), reliability: z.string(), credibility: z.string() })
        .strict(),
    ),
    claims: z.array(
      z
        .object({
          id: z.string(),
          sourceId: z.string(),
          question: z.string(),
          valueKind: z.string(),
          valueLow: z.number().nullable(),
          valueHigh: z.number().nullable(),
          valueText: z.string().nullable(),
          unit: z.string().nullable(),
          periodStart: z.string().nullable(),
          periodEnd: z.string().nullable(),
          excerpt: z.string(),
        })
        .strict(),
    ),
    citation: z.string(),
  })
  .strict()
  .meta({ id: 'SummarySnapshot' });

export const PublicSummaryOut = z
  .object({
    slug: z.string(),
    language: z.enum(['en', 'ko']),
    translationSlug: z.string().nullable(),
    retracted: z.object({ at: z.string(), reason: z.string() }).strict().nullable(),
    snapshot: SummarySnapshotOut.nullable().describe('The frozen document; null when retracted'),
    sha256: z.string().nullable().describe('SHA-256 of the canonical JSON of the snapshot (the bytes of /summaries/{slug}.json); null when retracted'),
    versions: z.array(z.object({ number: z.number().int(), publishedAt: z.string(), sha256: z.string() }).strict()),
    title: z.string(),
  })
  .strict()
  .meta({ id: 'PublicSummary' });

// --- Authoring publications (reviewers and admins of the organisation) ------------------------

const PublicationStatusOut = z
  .enum(['draft', 'in_review', 'published', 'retracted'])
  .describe('retracted once retracted; else the open version\'s state (draft, in_review); else published');

export const PublicationOut = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    language: z.enum(['en', 'ko']),
    title: z.string().describe('Of the open version, else of the latest published one'),
    status: PublicationStatusOut,
    flagged: z.boolean().describe('A worker counted in a published snapshot withdrew consent: publish a new version'),
    open: z
      .object({
        version: z.number().int().positive(),
        status: z.enum(['draft', 'in_review']),
        revision: z.number().int().positive().describe('Send it back with PATCH: an edit from an older revision is 409'),
        content: SummaryContent,
        submittedAt: z.string().nullable(),
        updatedAt: z.string(),
      })
      .strict()
      .nullable()
      .describe('The version being written or reviewed; null when none is open (start one with POST …/versions)'),
    versions: z.array(
      z
        .object({
          number: z.number().int().positive(),
          status: z.enum(['draft', 'in_review', 'published', 'discarded']),
          publishedAt: z.string().nullable(),
          sha256: z.string().nullable().describe('SHA-256 of the frozen snapshot (published versions)'),
        })
        .strict(),
    ),
    retracted: z.object({ at: z.string(), reason: z.string() }).strict().nullable(),
    createdAt: z.string(),
  })
  .strict()
  .meta({ id: 'Publication' });

export const PublicationListOut = z
  .object({
    publications: z.array(
      z
        .object({
          id: z.uuid(),
          slug: z.string(),
          language: z.enum(['en', 'ko']),
          title: z.string(),
          status: PublicationStatusOut,
          flagged: z.boolean(),
          open: z.object({ version: z.number().int().positive(), status: z.enum(['draft', 'in_review']) }).strict().nullable(),
          published: z.object({ version: z.number().int().positive(), publishedAt: z.string() }).strict().nullable().describe('The latest published version'),
          retracted: z.boolean(),
          createdAt: z.string(),
        })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: 'PublicationList' });

export const PublicationCreated = z
  .object({ id: z.uuid(), slug: z.string(), version: z.number().int().positive(), revision: z.number().int().positive() })
  .strict()
  .meta({ id: 'PublicationCreated' });

export const PublicationPublished = z
  .object({ version: z.number().int().positive(), sha256: z.string(), k: z.number().int().min(3).describe('Minimum cell size the snapshot was computed with') })
  .strict()
  .meta({ id: 'PublicationPublished' });

export const publicationMatches: Same<z.output<typeof PublicationOut>, Publication> = true;
export const publicationListMatches: Same<z.output<typeof PublicationListOut>['publications'][number], PublicationListItem> = true;
