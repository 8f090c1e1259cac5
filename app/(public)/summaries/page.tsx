import { connection } from 'next/server';
import type { Metadata } from 'next';
import { getLocale, getT } from '@/lib/i18n';
import { listPublishedSummaries } from '@/lib/summaries';
import { SummaryList } from './_summary-list';

export const metadata: Metadata = { title: 'Summaries', robots: { index: true, follow: true } };

export default async function SummariesPage() {
  // Rendered per request: without this, `next build` tries to prerender the page and opens the
  // embedded database from a build worker (whose lock then refuses the first `npm start`).
  await connection();
  const [t, locale, items] = await Promise.all([getT(), getLocale(), listPublishedSummaries()]);
  return (
    <section className="prose wide-prose">
      <h1>{t('summaries.listTitle')}</h1>
      <p className="lead">{t('summaries.listIntro')}</p>
      {items.length ? <SummaryList items={items} t={t} locale={locale} /> : <p className="muted">{t('summaries.listEmpty')}</p>}
      <p>
        <a href="/methodology">{t('summaries.methodologyLink')}</a>
      </p>
    </section>
  );
}
