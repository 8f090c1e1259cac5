import { z } from 'zod';

// Request shapes of quotes: used by lib/testimonies/quotes.ts, the API routes and the OpenAPI document.
export const QuoteProposal = z
  .object({ originalText: z.string().trim().min(1, 'Give the excerpt.').max(4000) })
  .strict()
  .meta({ id: 'QuoteProposal' });
export const QuoteRedaction = z
  .object({ redactedText: z.string().trim().min(1, 'The redacted text cannot be empty.').max(4000) })
  .strict()
  .meta({ id: 'QuoteRedaction' });
/** Approving may name the redaction the reviewer read, so a text changed meanwhile is not approved unseen. */
export const QuoteApproval = z
  .object({ redactedText: z.string().optional() })
  .strict()
  .meta({ id: 'QuoteApproval' });
