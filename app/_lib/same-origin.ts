import 'server-only';
import { headers } from 'next/headers';
import { isSameOrigin } from '@/lib/http/same-origin';

/**
 * Whether the server action being run was posted from one of our own pages (Origin, or
 * Sec-Fetch-Site: same-origin). proxy.ts refuses the others first, in the error shape; this is
 * the same rule where the action runs, so no action depends on the proxy having run.
 */
export async function postedFromOurPages(): Promise<boolean> {
  return isSameOrigin(await headers());
}
