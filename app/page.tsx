import { connection } from 'next/server';
import type { Metadata } from 'next';
import { getLocale, getT } from '@/lib/i18n';
import { listPublishedSummaries } from '@/lib/summaries';
import { SummaryList } from './(public)/summaries/_summary-list';

export const metadata: Metadata = { robots: { index: true, follow: true } };

const LATEST = 5;

// Public: what the project is, and the latest published summaries (from their snapshots).
export default async function Home() {
  // Rendered per request: without this, `next build` tries to prerender the page and opens the
  // embedded database from a build worker (whose lock then refuses the first `npm start`).
  await connection();
  const [t, locale, items] = await Promise.all([getT(), getLocale(), listPublishedSummaries()]);
  return (
    <div className="home">
      <section className="prose">
        <h1>{t('home.title')}</h1>
        <p className="lead">{t('home.intro')}</p>
        <p>{t('home.privacy')}</p>
        <p>{t('summaries.homeLead')}</p>
      </section>
      <section className="prose wide-prose" aria-labelledby="latest-title">
        <h2 id="latest-title">{t('summaries.latest')}</h2>
        {items.length ? <SummaryList items={items.slice(0, LATEST)} t={t} locale={locale} /> : <p className="muted">{t('summaries.none')}</p>}
        <p>
          <a href="/summaries">{t('summaries.allSummaries')}</a> · <a href="/methodology">{t('summaries.howMade')}</a>
        </p>
      </section>
      <section className="prose">
        <h2>{t('home.staff')}</h2>
        <p>
          <a href="/sign-in">{t('app.signIn')}</a>
        </p>
      </section>
    </div>
  );
}
