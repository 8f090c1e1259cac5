import { z } from 'zod';
import { CREDIBILITY, RELIABILITY } from './domain/grades';
import { LANGUAGE_CODE } from './domain/language';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/** Metadata of a report that may be edited after capture (the text never is). */
export const SourceMeta = z.object({
  title: optionalText(300),
  publisher: optionalText(200),
  address: z
    .union([z.url({ protocol: /^https?$/ }).max(2000), z.literal('')])
    .optional()
    .transform((v) => v || undefined),
  language: z
    .string()
    .trim()
    .toLowerCase()
    .regex(LANGUAGE_CODE, 'a language code such as en, pl, ko')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  publishedOn: z.iso.date().optional().or(z.literal('').transform(() => undefined)),
  reliability: z.enum(RELIABILITY).default('F'),
  credibility: z.enum(CREDIBILITY).default('6'),
  visibility: z.enum(['public', 'internal']).default('internal'),
});

export const NewSource = SourceMeta.extend({
  text: z.string().max(500_000, 'A captured text may be at most 500,000 characters.').refine((t) => t.trim().length > 0, 'The captured text is empty.'),
  capturedAt: z.iso.datetime({ offset: true }).optional(),
}).meta({ id: 'NewSource' });
export type NewSourceInput = z.input<typeof NewSource>;

export const SourceUpdate = SourceMeta.meta({ id: 'SourceUpdate' });

export const SourceFilter = z.object({
  q: z.string().trim().max(200).optional(),
  language: z.string().trim().toLowerCase().regex(LANGUAGE_CODE).optional(),
  publisher: z.string().trim().max(200).optional(),
  reliability: z.enum(RELIABILITY).optional(), // this grade or better
  credibility: z.enum(CREDIBILITY).optional(), // this grade or better
  from: z.iso.date().optional(), // published on or after
  to: z.iso.date().optional(), // published on or before
  visibility: z.enum(['public', 'internal']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});
export type SourceFilterInput = z.input<typeof SourceFilter>;
