import type { Metadata } from 'next';
import { TableWrap } from '@/app/_components/table-wrap';
import Link from 'next/link';
import { iloIndicator, outcome, siteType, visaType } from '@/db/schema';
import { pageData, requirePageAction } from '@/app/_lib/page-actor';
import { can } from '@/lib/access';
import { getT } from '@/lib/i18n';
import { countByStatus, listTestimonies, TestimonyFilter } from '@/lib/testimonies';
import { FEDERAL_SUBJECTS } from '@/lib/testimonies/domain/regions';

export const metadata: Metadata = { title: 'Testimonies' };

type Search = Record<string, string | string[] | undefined>;

export default async function TestimoniesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePageAction('testimony.read');
  const t = await getT();
  const query = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>;
  const parsed = TestimonyFilter.safeParse(query);
  const filter = parsed.success ? query : {};
  const [{ testimonies: rows, nextCursor }, counts] = await Promise.all([pageData(listTestimonies(actor, filter)), countByStatus(actor)]);
  const mayApprove = can(actor, 'testimony.approve', { orgId: actor.orgId });
  const href = (extra: Record<string, string | undefined>) => {
    const next = Object.fromEntries(Object.entries({ ...filter, ...extra }).filter(([, v]) => v)) as Record<string, string>;
    return `/testimonies${Object.keys(next).length ? `?${new URLSearchParams(next)}` : ''}`;
  };
  const en = (group: string, v: string) => t(`enums.${group}.${v}` as never);
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
      <nav aria-label={t('testimony.status')} className="subnav">
        <ul>
          <li>
            <Link href="/testimonies" aria-current={!filter.status && !filter.reviewable ? 'page' : undefined}>
              {t('testimony.all')} ({Object.values(counts).reduce((a, b) => a + (b ?? 0), 0)})
            </Link>
          </li>
          {(['draft', 'submitted', 'approved'] as const).map((s) => (
            <li key={s}>
              <Link href={`/testimonies?status=${s}`} aria-current={filter.status === s && !filter.reviewable ? 'page' : undefined} data-testid={`count-${s}`}>
                {en('status', s)} ({counts[s] ?? 0})
              </Link>
            </li>
          ))}
          {mayApprove && (
            <li>
              <Link href="/testimonies?reviewable=1" aria-current={filter.reviewable ? 'page' : undefined} data-testid="review-queue">
                {t('testimony.queue')}
              </Link>
            </li>
          )}
        </ul>
      </nav>

      <details className="panel filters-panel" open={Object.keys(filter).some((k) => !['status', 'reviewable', 'cursor'].includes(k))}>
        <summary>{t('testimony.filter')}</summary>
        <form method="get" className="filters">
          {filter.status && <input type="hidden" name="status" value={filter.status} />}
          <label>
            {t('testimony.interviewDate')} ≥
            <input type="date" name="from" defaultValue={filter.from} />
          </label>
          <label>
            {t('testimony.interviewDate')} ≤
            <input type="date" name="to" defaultValue={filter.to} />
          </label>
          <label>
            {t('testimony.region')}
            <select name="region" defaultValue={filter.region ?? ''}>
              <option value="">—</option>
              {FEDERAL_SUBJECTS.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          {(
            [
              ['siteType', siteType.enumValues],
              ['visaType', visaType.enumValues],
              ['outcome', outcome.enumValues],
            ] as const
          ).map(([name, values]) => (
            <label key={name}>
              {t(`testimony.${name}`)}
              <select name={name} defaultValue={filter[name] ?? ''}>
                <option value="">—</option>
                {values.map((v) => (
                  <option key={v} value={v}>
                    {en(name, v)}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <label>
            {t('testimony.injuries')}
            <select name="injury" defaultValue={filter.injury ?? ''}>
              <option value="">—</option>
              <option value="yes">{en('tri', 'yes')}</option>
              <option value="no">{en('tri', 'no')}</option>
            </select>
          </label>
          <label>
            {t('testimony.indicators')}
            <select name="indicator" defaultValue={filter.indicator ?? ''}>
              <option value="">—</option>
              {iloIndicator.enumValues.map((k) => (
                <option key={k} value={k}>
                  {en('indicator', k)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('testimony.order')}
            <select name="order" defaultValue={filter.order ?? 'newest'}>
              <option value="newest">{t('testimony.newest')}</option>
              <option value="oldest">{t('testimony.oldest')}</option>
              <option value="interviewed-latest">{t('testimony.interviewedLatest')}</option>
              <option value="interviewed-earliest">{t('testimony.interviewedEarliest')}</option>
            </select>
          </label>
          <button type="submit">{t('testimony.filter')}</button>
        </form>
      </details>
      {!parsed.success && <p className="error">{t('errors.invalid')}</p>}

      {rows.length === 0 ? (
        <p>{t('testimony.none')}</p>
      ) : (
        <TableWrap label={t('testimony.list')}>
          <table data-testid="testimonies-table">
            <thead>
              <tr>
                <th scope="col">{t('testimony.subject')}</th>
                <th scope="col">{t('testimony.interviewDate')}</th>
                <th scope="col">{t('testimony.region')}</th>
                <th scope="col">{t('testimony.siteType')}</th>
                <th scope="col">{t('testimony.outcome')}</th>
                <th scope="col">{t('testimony.status')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link href={`/testimonies/${r.id}`} className="code">
                      {r.subjectCode}
                    </Link>{' '}
                    <Link href={`/testimonies?subject=${r.subjectCode}`} className="muted small">
                      {t('testimony.allOfSubject')}
                    </Link>
                  </td>
                  <td>{r.interviewDate ?? '—'}</td>
                  <td>{r.region ?? '—'}</td>
                  <td>{r.siteType ? en('siteType', r.siteType) : '—'}</td>
                  <td>{r.outcome ? en('outcome', r.outcome) : '—'}</td>
                  <td>{en('status', r.status)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {nextCursor && (
        <p>
          <Link href={href({ cursor: nextCursor })} data-testid="next-page">
            {t('testimony.next')}
          </Link>
        </p>
      )}
    </section>
  );
}
