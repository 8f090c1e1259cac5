import { clientAddress } from '@/lib/http/client-address';
import { enforceRateLimit, RATE_LIMITS } from '@/lib/http/rate-limit';
import { methods } from '@/lib/http/route';
import { listPublishedSummaries } from '@/lib/summaries';

// Public: no token needed. Published summaries (retracted ones flagged), newest first.
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async (req) => {
    await enforceRateLimit(RATE_LIMITS.publicRead, clientAddress(req.headers));
    return { summaries: await listPublishedSummaries() };
  },
});
