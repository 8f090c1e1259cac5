import type { RateLimited } from '@/lib/errors';
import { getT } from '@/lib/i18n';

/** In place of an expensive page when its signed-in user is over the request limit (lib/actor.ts). */
export async function TooManyRequests({ refused, retryHref }: { refused: RateLimited; retryHref: string }) {
  const t = await getT();
  return (
    <article className="prose" data-testid="too-many-requests">
      <h1>{t('app.tooManyRequests')}</h1>
      <p role="status">{t('problems.tooManyRequests', { seconds: refused.retryAfterSeconds })}</p>
      <a href={retryHref}>{t('app.tryAgain')}</a>
    </article>
  );
}
