import { formatDate } from '@/app/_components/summary-view';
import type { Locale, T } from '@/lib/i18n';
import type { listPublishedSummaries } from '@/lib/summaries';

type Item = Awaited<ReturnType<typeof listPublishedSummaries>>[number];

/** Published summaries as a list of titles with who published them, which version and when. */
export function SummaryList({ items, t, locale }: { items: Item[]; t: T; locale: Locale }) {
  return (
    <ul className="summary-list" data-testid="summary-list">
      {items.map((s) => (
        <li key={s.slug} lang={s.language}>
          <a href={`/summaries/${s.slug}`} className="summary-link">
            {s.title}
          </a>
          {s.retracted && <span className="status status-rejected">{t('summaries.retractedBadge')}</span>}
          <p className="muted small">
            {t('summaries.listMeta', { org: s.organisation, version: s.version, date: formatDate(s.publishedAt, locale) })}
            {' · '}
            {t(`summaries.languageName.${s.language}`)}
          </p>
        </li>
      ))}
    </ul>
  );
}
