import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { formatDate, SummaryView } from '@/app/_components/summary-view';
import { pageData } from '@/app/_lib/page-actor';
import { getLocale, getT, translator } from '@/lib/i18n';
import { getPublishedSummary } from '@/lib/summaries';
import { VersionParam } from '@/lib/summaries/public';

// The public page of a summary (latest version, or one version): rendered from the frozen snapshot.
// Caching headers and the ETag are set in proxy.ts, before rendering, so a 304 costs no render.

const load = cache(async (slug: string, rawVersion: string | undefined) => {
  let version: number | undefined;
  if (rawVersion !== undefined) {
    const parsed = VersionParam.safeParse(rawVersion);
    if (!parsed.success) notFound();
    version = parsed.data;
  }
  return pageData(getPublishedSummary(slug, version));
});

export async function summaryMetadata(slug: string, rawVersion: string | undefined): Promise<Metadata> {
  const s = await load(slug, rawVersion);
  const t = translator(s.language);
  const snap = s.snapshot;
  const description = snap
    ? t('summaries.ogDescription', { org: snap.organisation, version: snap.version, k: snap.k })
    : t('summaries.retractedTitle');
  return {
    title: s.title,
    description,
    // The summary is meant to be found and cited, unlike the rest of the application.
    robots: s.retracted ? { index: false } : { index: true, follow: false },
    alternates: { canonical: `/summaries/${s.slug}${rawVersion ? `/v/${snap?.version ?? rawVersion}` : ''}` },
    openGraph: {
      type: 'article',
      title: s.title,
      description,
      locale: s.language === 'ko' ? 'ko_KR' : 'en_GB',
      publishedTime: snap?.publishedAt,
      siteName: 'Testimony Ledger',
      url: `/summaries/${s.slug}`,
    },
  };
}

export async function SummaryPage({ slug, version }: { slug: string; version: string | undefined }) {
  const s = await load(slug, version);
  const locale = await getLocale();
  const ui = await getT();
  if (!s.snapshot || s.retracted) {
    const t = translator(s.language);
    return (
      <article lang={s.language} className="summary retracted" data-testid="summary-retracted" aria-labelledby="summary-title">
        <p className="kicker">
          <a href="/summaries">{ui('summaries.backToSummaries')}</a>
        </p>
        <h1 id="summary-title">{s.title}</h1>
        <div className="retraction" role="note">
          <h2>{t('summaries.retractedTitle')}</h2>
          {s.retracted && <p>{t('summaries.retractedOn', { date: formatDate(s.retracted.at, s.language) })}</p>}
          {s.retracted?.reason && <p data-testid="retraction-reason">{t('summaries.retractedReason', { reason: s.retracted.reason })}</p>}
        </div>
        <p>
          <a href="/methodology">{ui('summaries.methodologyLink')}</a>
        </p>
      </article>
    );
  }
  const n = s.snapshot.version;
  const query = version ? `?version=${n}` : '';
  return (
    <>
      <p className="kicker breadcrumb">
        <a href="/summaries">{ui('summaries.backToSummaries')}</a>
      </p>
      <SummaryView
        snapshot={s.snapshot}
        locale={locale}
        versions={s.versions}
        translationSlug={s.translationSlug}
        downloads={{ csv: `/summaries/${s.slug}.csv${query}`, json: `/summaries/${s.slug}.json${query}`, sha256: s.sha256! }}
        versionHref={(v) => (v === s.versions[0]?.number ? `/summaries/${s.slug}` : `/summaries/${s.slug}/v/${v}`)}
      />
    </>
  );
}
