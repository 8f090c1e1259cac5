import type { Metadata } from 'next';
import Link from 'next/link';
import { TooManyRequests } from '@/app/_components/too-many-requests';
import { expensivePageRefusal, pageData, requirePageAction } from '@/app/_lib/page-actor';
import { can } from '@/lib/access';
import { getT } from '@/lib/i18n';
import { searchSources, sourcePublishers } from '@/lib/sources';
import { CREDIBILITY, RELIABILITY } from '@/lib/sources/domain/grades';
import { SourceFilter } from '@/lib/sources/input';

export const metadata: Metadata = { title: 'Source reports' };

export default async function SourcesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageAction('source.read');
  const query = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>;
  const tooMany = await expensivePageRefusal(actor); // full-text search on every load
  if (tooMany) return <TooManyRequests refused={tooMany} retryHref={`/sources?${new URLSearchParams(query)}`} />;
  const t = await getT();
  const parsed = SourceFilter.safeParse(query);
  const filter = parsed.success ? query : {};
  const [{ sources }, publishers] = await Promise.all([pageData(searchSources(actor, filter)), sourcePublishers(actor)]);
  return (
    <section>
      <div className="heading-row">
        <h1>{t('sources.title')}</h1>
        {can(actor, 'source.create', { orgId: actor.orgId }) && (
          <Link className="button" href="/sources/new">
            {t('sources.capture')}
          </Link>
        )}
      </div>
      <form method="get" className="filters" role="search" aria-label={t('sources.filter')}>
        <label>
          {t('sources.searchLabel')}
          <input type="search" name="q" defaultValue={filter.q} maxLength={200} />
        </label>
        <label>
          {t('sources.language')}
          <input name="language" defaultValue={filter.language} maxLength={3} size={4} />
        </label>
        <label>
          {t('sources.publisher')}
          <select name="publisher" defaultValue={filter.publisher ?? ''}>
            <option value="">{t('sources.anyValue')}</option>
            {publishers.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('sources.reliability')} ({t('sources.orBetter')})
          <select name="reliability" defaultValue={filter.reliability ?? ''}>
            <option value="">{t('sources.anyValue')}</option>
            {RELIABILITY.map((g) => (
              <option key={g} value={g}>
                {t(`grades.reliability.${g}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('sources.credibility')} ({t('sources.orBetter')})
          <select name="credibility" defaultValue={filter.credibility ?? ''}>
            <option value="">{t('sources.anyValue')}</option>
            {CREDIBILITY.map((g) => (
              <option key={g} value={g}>
                {t(`grades.credibility.${g}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('sources.from')}
          <input type="date" name="from" defaultValue={filter.from} />
        </label>
        <label>
          {t('sources.to')}
          <input type="date" name="to" defaultValue={filter.to} />
        </label>
        <button type="submit">{t('sources.search')}</button>
      </form>
      {!parsed.success && <p className="error">{t('errors.invalid')}</p>}
      <h2 className="visually-hidden">{t('sources.results')}</h2>
      {sources.length === 0 ? (
        <p>{t('sources.none')}</p>
      ) : (
        <ol className="results" data-testid="source-results">
          {sources.map((s) => (
            <li key={s.id}>
              <Link href={`/sources/${s.id}`}>
                <strong>{s.title}</strong>
              </Link>
              <div className="muted">
                {[s.publisher, s.language, s.publishedOn ?? t('sources.unknownDate'), `${t('sources.grade')} ${s.reliability}${s.credibility}`, t(`enums.visibility.${s.visibility}`)]
                  .filter(Boolean)
                  .join(' · ')}
                {s.unreliable && <span className="unreliable-note"> · {t('sources.unreliable')}</span>}
                {!s.own && <span> · {t('sources.otherOrg')}</span>}
              </div>
              {s.snippet.length > 0 && (
                <p className="snippet" data-testid="snippet" lang={s.language}>
                  {s.snippet.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
