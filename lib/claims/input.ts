import { z } from 'zod';

export const QuestionKey = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(80)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens, e.g. north-korean-entries-to-russia');

export const NewQuestion = z.object({ key: QuestionKey, title: z.string().trim().min(3).max(200) }).meta({ id: 'NewQuestion' });

/**
 * "2024", "2024-03", "2024-01-01", or "start/end" with either form on each side → first and last day.
 * null when no period is given, false when it cannot be read.
 */
export function parsePeriod(raw: string | undefined): { start: string; end: string } | null | false {
  const v = (raw ?? '').trim();
  if (!v) return null;
  const [a, b = a] = v.split('/').map((s) => s.trim());
  const start = periodBound(a!, 'start');
  const end = periodBound(b!, 'end');
  if (!start || !end || start > end) return false;
  return { start, end };
}

function periodBound(v: string, side: 'start' | 'end'): string | null {
  let m = /^(\d{4})$/.exec(v);
  if (m) return side === 'start' ? `${m[1]}-01-01` : `${m[1]}-12-31`;
  m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(v);
  if (m) {
    if (side === 'start') return `${m[1]}-${m[2]}-01`;
    const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
    return `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}`;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))) return v;
  return null;
}

const Period = z
  .string()
  .trim()
  .max(40)
  .optional()
  .superRefine((v, ctx) => {
    if (v && parsePeriod(v) === false) ctx.addIssue({ code: 'custom', message: 'a period such as 2024, 2024-03, or 2024-01-01/2024-06-30' });
  });

const Amount = z.coerce.number().finite().min(-1e15).max(1e15);

export const NewClaim = z
  .object({
    question: QuestionKey,
    /** Creates the question when the organisation has none with this key. */
    questionTitle: z.string().trim().min(3).max(200).optional(),
    sourceId: z.uuid(),
    valueKind: z.enum(['number', 'range', 'text']),
    value: Amount.optional(),
    valueHigh: Amount.optional(),
    valueText: z.string().trim().max(500).optional(),
    unit: z.string().trim().max(60).optional(),
    period: Period,
    excerpt: z.string().min(1, 'Select the excerpt the claim stands on.').max(5000),
    excerptStart: z.coerce.number().int().min(0).optional(),
    excerptEnd: z.coerce.number().int().min(1).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.valueKind !== 'text' && c.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'Give the number.' });
    if (c.valueKind === 'range' && (c.valueHigh === undefined || (c.value !== undefined && c.valueHigh < c.value))) {
      ctx.addIssue({ code: 'custom', path: ['valueHigh'], message: 'Give the high end of the range (not below the low end).' });
    }
    if (c.valueKind === 'text' && !c.valueText) ctx.addIssue({ code: 'custom', path: ['valueText'], message: 'Give the statement.' });
  })
  .meta({ id: 'NewClaim' });
export type NewClaimInput = z.input<typeof NewClaim>;

export const NewSourceLink = z
  .object({
    sourceId: z.uuid(),
    relation: z.enum(['corroborates', 'contradicts', 'context']),
    note: z.string().trim().max(2000).optional(),
  })
  .meta({ id: 'NewSourceLink' });
