import type { Metadata } from 'next';
import Link from 'next/link';
import { TableWrap } from '@/app/_components/table-wrap';
import { pageData, requirePageAction } from '@/app/_lib/page-actor';
import { can } from '@/lib/access';
import { getLocale, getT } from '@/lib/i18n';
import { listOrgSummaries } from '@/lib/summaries';

export const metadata: Metadata = { title: 'Publications' };

export default async function PublicationsPage() {
  const actor = await requirePageAction('summary.read');
  const t = await getT();
  const locale = await getLocale();
  const summaries = await pageData(listOrgSummaries(actor));
  const date = (d: Date | null) => (d ? d.toLocaleDateString(locale === 'ko' ? 'ko-KR' : 'en-GB', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }) : t('publications.never'));
  return (
    <section>
      <div className="heading-row">
        <h1>{t('publications.title')}</h1>
        {can(actor, 'summary.author', { orgId: actor.orgId }) && (
          <Link href="/publications/new" className="button" data-testid="new-summary">
            {t('publications.new')}
          </Link>
        )}
      </div>
      <p className="prose">{t('publications.intro')}</p>
      {summaries.length === 0 ? (
        <p data-testid="no-summaries">{t('publications.none')}</p>
      ) : (
        <TableWrap label={t('publications.title')}>
          <table data-testid="summaries-table">
            <thead>
              <tr>
                <th scope="col">{t('publications.columns.title')}</th>
                <th scope="col">{t('publications.columns.slug')}</th>
                <th scope="col">{t('publications.columns.language')}</th>
                <th scope="col">{t('publications.columns.status')}</th>
                <th scope="col">{t('publications.columns.lastPublished')}</th>
              </tr>
            </thead>
            <tbody>
              {summaries.map((s) => {
                const last = s.published.at(-1);
                const status =
                  s.status === 'retracted'
                    ? t('publications.status.retracted')
                    : s.open
                      ? [last ? t('publications.status.published', { n: last.number }) : null, t(`publications.status.${s.open.status}`)].filter(Boolean).join(' · ')
                      : last
                        ? t('publications.status.published', { n: last.number })
                        : t(`publications.status.${s.status}`);
                return (
                  <tr key={s.id} data-testid={`summary-${s.slug}`}>
                    <td>
                      <Link href={`/publications/${s.id}`}>{s.title}</Link>
                    </td>
                    <td>
                      <code>{s.slug}</code>
                    </td>
                    <td>{t(`publications.languages.${s.language}`)}</td>
                    <td>
                      <span data-testid="summary-status">{status}</span>
                      {s.flaggedAt && s.status !== 'retracted' && (
                        <p className="error" data-testid="summary-flagged">
                          {t('publications.flagged')}
                        </p>
                      )}
                    </td>
                    <td>{date(last?.publishedAt ?? null)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
