import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { requirePageAction } from '@/app/_lib/page-actor';
import { can } from '@/lib/access';
import { getT } from '@/lib/i18n';
import { countByStatus, listTestimonies } from '@/lib/testimonies';

export const metadata: Metadata = { title: 'Testimonies' };

const Query = z.object({ status: z.enum(['draft', 'submitted', 'approved']).optional().catch(undefined) });

export default async function TestimoniesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageAction('testimony.read');
  const t = await getT();
  const { status } = Query.parse(await searchParams);
  const [rows, counts] = await Promise.all([listTestimonies(actor, { status, limit: 200 }), countByStatus(actor)]);
  return (
    <section>
      <div className="heading-row">
        <h1>{t('testimony.list')}</h1>
        <Link className="button" href="/testimonies/new">
          {t('testimony.new')}
        </Link>
        {can(actor, 'testimony.import', { orgId: actor.orgId }) && (
          <Link href="/testimonies/import" data-testid="import-link">
            {t('imports.importLink')}
          </Link>
        )}
        {can(actor, 'testimony.export', { orgId: actor.orgId }) && (
          <a href="/api/v1/testimonies/export" download data-testid="export-link">
            {t('imports.export')}
          </a>
        )}
      </div>
      <nav aria-label={t('testimony.filter')} className="subnav">
        <ul>
          <li>
            <Link href="/testimonies" aria-current={!status ? 'page' : undefined}>
              {t('testimony.all')} ({Object.values(counts).reduce((a, b) => a + b, 0)})
            </Link>
          </li>
          {(['draft', 'submitted', 'approved'] as const).map((s) => (
            <li key={s}>
              <Link href={`/testimonies?status=${s}`} aria-current={status === s ? 'page' : undefined} data-testid={`count-${s}`}>
                {t(`enums.status.${s}`)} ({counts[s] ?? 0})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {rows.length === 0 ? (
        <p>{t('testimony.none')}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="testimonies-table">
            <thead>
              <tr>
                <th scope="col">{t('testimony.subject')}</th>
                <th scope="col">{t('testimony.interviewDate')}</th>
                <th scope="col">{t('testimony.region')}</th>
                <th scope="col">{t('testimony.siteType')}</th>
                <th scope="col">{t('testimony.status')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link href={`/testimonies/${r.id}`}>{r.subjectCode}</Link>
                  </td>
                  <td>{r.interviewDate ?? '—'}</td>
                  <td>{r.region ?? '—'}</td>
                  <td>{r.siteType ? t(`enums.siteType.${r.siteType}`) : '—'}</td>
                  <td>{t(`enums.status.${r.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
