import type { getPublicSource } from '@/lib/sources/public';
import type { Locale, MessageKey, T } from '@/lib/i18n';
import { formatDate } from './summary-view';

type PublicSourceReport = Awaited<ReturnType<typeof getPublicSource>>;

/** A public source report for readers without an account: what it is, its grades, its text as captured. */
export function PublicSource({ source: s, t, locale }: { source: PublicSourceReport; t: T; locale: Locale }) {
  const web = s.address && /^https?:\/\//i.test(s.address) ? s.address : null;
  return (
    <article className="public-source prose wide-prose" data-testid="public-source" aria-labelledby="source-title">
      <p className="kicker">{t('summaries.sourceKicker')}</p>
      <h1 id="source-title" lang={s.language}>
        {s.title}
      </h1>
      <dl className="facts">
        <dt>{t('summaries.publisher')}</dt>
        <dd>{s.publisher ?? t('summaries.unknown')}</dd>
        <dt>{t('summaries.publishedOn')}</dt>
        <dd>{s.publishedOn ?? t('summaries.unknown')}</dd>
        <dt>{t('summaries.address')}</dt>
        <dd>
          {web ? (
            <a href={web} rel="nofollow noopener noreferrer">
              {web}
            </a>
          ) : (
            (s.address ?? t('summaries.unknown'))
          )}
        </dd>
        <dt>{t('summaries.reliability')}</dt>
        <dd data-testid="public-source-reliability">{t(`grades.reliability.${s.reliability}` as MessageKey)}</dd>
        <dt>{t('summaries.credibility')}</dt>
        <dd>{t(`grades.credibility.${s.credibility}` as MessageKey)}</dd>
        <dt>{t('summaries.capturedAt')}</dt>
        <dd>{formatDate(s.capturedAt.toISOString(), locale)}</dd>
      </dl>
      <p className="small muted">{t('summaries.gradesExplain')}</p>
      <h2>{t('summaries.capturedText')}</h2>
      <div className="captured" lang={s.language} tabIndex={0} role="region" aria-label={t('summaries.capturedText')}>
        {s.capturedText}
      </div>
      <p className="small muted">
        {t('summaries.textHash')}: <code className="hash">{s.textHash}</code>
      </p>
    </article>
  );
}
