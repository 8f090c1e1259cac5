import { z } from 'zod';
import { federalDistrict, siteType } from '@/db/schema';
import { dimensionsFor, MEASURE_IDS, Period, quarterIndex } from '../aggregates/definitions';
import { en } from '../i18n/en';
import { storable } from '../testimonies/input';

// The database stores no NUL character nor a lone surrogate (jsonb neither): refused with the field's name.
const { textUnstorable } = en.problems;

// What an author writes. Validated on every save; the snapshot is computed from it at publication.

const PUBLIC_DIMENSIONS = dimensionsFor('public') as [string, ...string[]];
export const CHART_TYPES = ['bars', 'grouped-bars', 'heat-table', 'table'] as const;

const periodsValid = (s: { from: string; to: string }) => Period.safeParse(s.from).success && Period.safeParse(s.to).success;

const withUnknown = <T extends string>(values: readonly T[]) => [...new Set([...values, 'unknown'])] as [string, ...string[]];

export const SummaryScope = z
  .object({
    // A summary always names its period: a scope without one would change meaning as data arrives.
    from: Period,
    to: Period,
    districts: z.array(z.enum(withUnknown(federalDistrict.enumValues))).min(1).max(20).optional(),
    siteTypes: z.array(z.enum(withUnknown(siteType.enumValues))).min(1).max(20).optional(),
  })
  // zod runs these even when a period failed its format (reported on its own field): compare valid periods only.
  .refine((s) => !periodsValid(s) || quarterIndex(s.from, false) <= quarterIndex(s.to, true), { message: 'The period ends before it starts.', path: ['to'] })
  .refine((s) => !periodsValid(s) || quarterIndex(s.to, true) - quarterIndex(s.from, false) < 4 * 30, { message: 'A period is at most 30 years.', path: ['to'] });

export const SummarySection = z
  .object({
    measure: z.enum(MEASURE_IDS),
    by: z
      .array(z.enum(PUBLIC_DIMENSIONS, { message: `Public summaries break down by: ${PUBLIC_DIMENSIONS.join(', ')}.` }))
      .min(1)
      .max(2)
      .refine((by) => new Set(by).size === by.length, { message: 'A breakdown can be used once.' }),
    chart: z.enum(CHART_TYPES).default('bars'),
    caption: z.string().trim().max(600).refine(storable, textUnstorable).default(''),
  })
  .refine((s) => s.by.length === 2 || s.chart !== 'heat-table', { message: 'A heat table needs two breakdowns.', path: ['chart'] });

export const SummaryContent = z
  .object({
    title: z.string().trim().min(3, 'Give a title of at least 3 characters.').max(200).refine(storable, textUnstorable),
    /** Markdown. Rendered without raw HTML. */
    body: z.string().max(20_000).refine(storable, textUnstorable).default(''),
    scope: SummaryScope,
    sections: z.array(SummarySection).min(1, 'Add at least one section.').max(12),
    quoteIds: z.array(z.uuid()).max(20).default([]),
    sourceIds: z.array(z.uuid()).max(40).default([]),
    claimIds: z.array(z.uuid()).max(40).default([]),
  })
  .strict()
  .meta({ id: 'SummaryContent' });

export type SummaryContentInput = z.input<typeof SummaryContent>;
export type SummaryContentValues = z.output<typeof SummaryContent>;

export const Slug = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(80)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'Use lower-case letters, digits and single hyphens.' });

export const NewSummary = z
  .object({
    slug: Slug,
    language: z.enum(['en', 'ko']),
    /** The slug of the same summary in the other language, if it exists. */
    translationOf: Slug.optional(),
    content: SummaryContent,
  })
  .strict()
  .meta({ id: 'NewSummary' });
export type NewSummaryInput = z.input<typeof NewSummary>;

/** A saved draft: the whole content and the revision it was edited from (a stale one is refused). */
export const DraftEdit = z
  .object({
    content: SummaryContent,
    revision: z.number().int().positive().describe('The revision of the draft you edited (from the last read or save)'),
  })
  .strict()
  .meta({ id: 'SummaryDraftEdit' });

export const RetractionReason = z.string().trim().min(5, 'Give the reason readers will see.').max(2000).refine(storable, textUnstorable);
export const Retraction = z.object({ reason: RetractionReason.describe('Shown to readers on the page, which stays with a notice') }).strict().meta({ id: 'SummaryRetraction' });
