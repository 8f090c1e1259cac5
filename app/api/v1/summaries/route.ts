import { methods } from '@/lib/http/route';
import { listPublishedSummaries } from '@/lib/summaries';

// Public: no token needed. Published summaries (retracted ones flagged), newest first.
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async () => ({ summaries: await listPublishedSummaries() }),
});
