import { z } from 'zod';
import { problem } from '../problem';

// Request shapes of quotes: used by lib/testimonies/quotes.ts, the API routes and the OpenAPI document.
export const QuoteProposal = z
  .object({ originalText: z.string().trim().min(1, 'Give the excerpt.').max(4000) })
  .strict()
  .meta({ id: 'QuoteProposal' });

/** A redaction as saved and as approved: the same rules for both, so nothing is approved that could not be saved. */
const redactedText = z
  .string()
  .trim()
  .min(1, problem('redactionEmpty').text)
  .max(4000)
  // It is published as is: a NUL or a lone surrogate would break pages and downloads (and is no text a worker said).
  .refine((text) => !/[\u0000\p{Cs}]/u.test(text), problem('textUnstorable').text);

export const QuoteRedaction = z.object({ redactedText }).strict().meta({ id: 'QuoteRedaction' });

/**
 * Approving names the text approved: it is saved with the approval when it differs from the stored
 * one ("save and approve"), so what is approved is what the reviewer read. `expectedText`, the
 * redaction as the reviewer loaded it, refuses the approval when someone changed it meanwhile.
 */
export const QuoteApproval = z
  .object({
    redactedText: redactedText.meta({ description: 'The redacted text approved, exactly as the reviewer read it; stored with the approval.' }),
    expectedText: z.string().max(4000).optional().meta({ description: 'The stored redaction as the reviewer loaded it: if it changed since, 409 and nothing is written.' }),
  })
  .strict()
  .meta({ id: 'QuoteApproval' });
export type QuoteApprovalInput = z.input<typeof QuoteApproval>;
