import { renderMarkdown } from '@/lib/summaries/markdown';
import type { SummarySnapshot } from '@/lib/summaries/snapshot';
import { translator, type Locale, type MessageKey, type T } from '@/lib/i18n';
import { AggregateChart, chartModel } from './aggregate-chart';
import { cellIndex, dimensionLabel, figureFormat, hiddenLabel, measureLabel, numberFormat, periodLabel, valueLabel } from './aggregate-present';
import { AnswerTable, HiddenCellsNote } from './aggregate-table';
import { TableWrap } from './table-wrap';

// A published summary as the public reads it, rendered from its snapshot and nothing else. Used by
// the public pages and by the authoring preview. A server component: no client JavaScript.
// The article speaks the summary's own language (its `lang` says so); what surrounds it (versions,
// downloads, the translation link) speaks the reader's interface language. Plain links, not
// next/link: nothing here needs client-side navigation.

type Section = SummarySnapshot['sections'][number];

export interface SummaryViewProps {
  snapshot: SummarySnapshot;
  /** The reader's interface language, for what surrounds the article. */
  locale: Locale;
  /** Published versions, newest first; empty in a preview. */
  versions?: { number: number; publishedAt: string }[];
  translationSlug?: string | null;
  /** Links to the downloads of this version, when published. */
  downloads?: { csv: string; json: string; sha256: string } | null;
  /** Where a version's page is (published summaries only). */
  versionHref?: (n: number) => string;
}

export function formatDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
}

const isWebAddress = (s: string | null): s is string => !!s && /^https?:\/\//i.test(s);

export function SummaryView({ snapshot, locale, versions = [], translationSlug = null, downloads = null, versionHref }: SummaryViewProps) {
  const lang = snapshot.language;
  const t = translator(lang);
  const ui = translator(locale);
  const latest = versions[0]?.number;
  const sourceTitle = new Map(snapshot.sources.map((s) => [s.id, s.title]));
  const scopeLines = [
    t('summaries.scope', { from: periodLabel(t, snapshot.scope.from), to: periodLabel(t, snapshot.scope.to) }),
    snapshot.scope.districts ? t('summaries.scopeDistricts', { list: snapshot.scope.districts.map((d) => valueLabel(t, 'federal_district', d)).join(', ') }) : null,
    snapshot.scope.siteTypes ? t('summaries.scopeSiteTypes', { list: snapshot.scope.siteTypes.map((d) => valueLabel(t, 'site_type', d)).join(', ') }) : null,
  ].filter((l): l is string => l !== null);

  return (
    <div className="publication">
      <article lang={lang} className="summary" data-testid="summary-article" aria-labelledby="summary-title">
        <header className="summary-head">
          <p className="kicker">{t('summaries.byOrg', { org: snapshot.organisation })}</p>
          <h1 id="summary-title">{snapshot.title}</h1>
          <p className="summary-meta">
            <span data-testid="summary-version">{t('summaries.version', { n: snapshot.version })}</span>
            <span aria-hidden="true"> · </span>
            <time dateTime={snapshot.publishedAt}>{t('summaries.published', { date: formatDate(snapshot.publishedAt, lang) })}</time>
          </p>
          <ul className="summary-scope">
            {scopeLines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p className="k-line" data-testid="summary-k">
            <strong>{t('summaries.kLine', { k: snapshot.k })}</strong> {t('summaries.kExplain', { k: snapshot.k })}
          </p>
        </header>

        {/* Markdown rendered with raw HTML off and only http(s) links (lib/summaries/markdown.ts). */}
        {snapshot.body.trim() && <div className="summary-body" data-testid="summary-body" dangerouslySetInnerHTML={{ __html: renderMarkdown(snapshot.body) }} />}

        {snapshot.sections.map((section, i) => (
          <SectionView key={i} section={section} n={i + 1} t={t} lang={lang} period={t('summaries.scope', { from: periodLabel(t, snapshot.scope.from), to: periodLabel(t, snapshot.scope.to) })} />
        ))}

        {snapshot.claims.length > 0 && (
          <section className="summary-claims" aria-labelledby="claims-title">
            <h2 id="claims-title">{t('summaries.claimsTitle')}</h2>
            <p className="muted">{t('summaries.claimsIntro')}</p>
            <ul className="claim-list">
              {snapshot.claims.map((c) => (
                <li key={c.id} data-testid="summary-claim">
                  <p className="claim-question">{c.question}</p>
                  <p className="claim-value">{claimValue(c, lang)}</p>
                  <p className="small muted">{c.periodStart || c.periodEnd ? t('summaries.claimPeriod', { from: c.periodStart ?? '…', to: c.periodEnd ?? '…' }) : t('summaries.claimUnknownPeriod')}</p>
                  {c.excerpt && <blockquote className="claim-excerpt">{c.excerpt}</blockquote>}
                  <p className="small">
                    <a href={`/sources/${c.sourceId}`}>{t('summaries.claimSource', { title: sourceTitle.get(c.sourceId) ?? c.sourceId })}</a>
                  </p>
                </li>
              ))}
            </ul>
          </section>
        )}

        {snapshot.quotes.length > 0 && (
          <section className="summary-quotes" aria-labelledby="quotes-title">
            <h2 id="quotes-title">{t('summaries.quotesTitle')}</h2>
            <p className="muted">{t('summaries.quotesNote')}</p>
            {snapshot.quotes.map((q) => (
              <blockquote key={q.id} className="testimony-quote" data-testid="summary-quote">
                <p>{q.text}</p>
              </blockquote>
            ))}
          </section>
        )}

        {snapshot.sources.length > 0 && (
          <section className="summary-sources" aria-labelledby="sources-title">
            <h2 id="sources-title">{t('summaries.sourcesTitle')}</h2>
            <p className="muted small">{t('summaries.gradesExplain')}</p>
            <ol className="source-list">
              {snapshot.sources.map((s) => (
                <li key={s.id} data-testid="summary-source">
                  <a href={`/sources/${s.id}`} className="source-title">
                    {s.title}
                  </a>
                  <span className="source-meta">
                    {[s.publisher, s.publishedOn].filter(Boolean).join(', ')}
                    {isWebAddress(s.address) && (
                      <>
                        {' · '}
                        <a href={s.address} rel="nofollow noopener noreferrer" className="source-address">
                          {s.address}
                        </a>
                      </>
                    )}
                  </span>
                  <Grades t={t} reliability={s.reliability} credibility={s.credibility} />
                </li>
              ))}
            </ol>
          </section>
        )}

        <section className="summary-citation" aria-labelledby="citation-title">
          <h2 id="citation-title">{t('summaries.citationTitle')}</h2>
          <p className="citation" data-testid="summary-citation">
            {snapshot.citation}
          </p>
        </section>
      </article>

      <aside className="summary-aside" aria-label={ui('summaries.dataTitle')}>
        {latest !== undefined && latest !== snapshot.version && versionHref && (
          <p className="older-version" data-testid="older-version">
            {ui('summaries.olderVersion', { n: snapshot.version, latest })} <a href={versionHref(latest)}>{ui('summaries.readLatest')}</a>
          </p>
        )}
        {downloads && (
          <section aria-labelledby="data-title" className="summary-data">
            <h2 id="data-title">{ui('summaries.dataTitle')}</h2>
            <ul className="plain">
              <li>
                <a href={downloads.csv} download data-testid="download-csv">
                  {ui('summaries.downloadCsv')}
                </a>
              </li>
              <li>
                <a href={downloads.json} download data-testid="download-json">
                  {ui('summaries.downloadJson')}
                </a>
              </li>
            </ul>
            <p className="small muted">
              {ui('summaries.sha')}: <code className="hash">{downloads.sha256}</code>
            </p>
            <p className="small muted">{ui('summaries.shaHint')}</p>
          </section>
        )}
        {versions.length > 0 && (
          <section aria-labelledby="versions-title">
            <h2 id="versions-title">{ui('summaries.versionsTitle')}</h2>
            <ol className="plain versions" data-testid="summary-versions">
              {versions.map((v) => (
                <li key={v.number}>
                  {v.number === snapshot.version ? (
                    <span aria-current="page">
                      {ui('summaries.versionItem', { n: v.number, date: formatDate(v.publishedAt, locale) })} ({ui('summaries.thisVersion')})
                    </span>
                  ) : versionHref ? (
                    <a href={versionHref(v.number)}>{ui('summaries.versionItem', { n: v.number, date: formatDate(v.publishedAt, locale) })}</a>
                  ) : (
                    ui('summaries.versionItem', { n: v.number, date: formatDate(v.publishedAt, locale) })
                  )}
                </li>
              ))}
            </ol>
          </section>
        )}
        <ul className="plain aside-links">
          <li>
            <a href="/methodology">{ui('summaries.methodologyLink')}</a>
          </li>
          {translationSlug && (
            <li>
              <a href={`/summaries/${translationSlug}`} hrefLang={lang === 'en' ? 'ko' : 'en'} data-testid="translation-link">
                {ui('summaries.translation', { language: ui(`summaries.languageName.${lang === 'en' ? 'ko' : 'en'}`) })}
              </a>
            </li>
          )}
        </ul>
      </aside>
    </div>
  );
}

function Grades({ t, reliability, credibility }: { t: T; reliability: string; credibility: string }) {
  return (
    <dl className="grades">
      <div>
        <dt>{t('summaries.reliability')}</dt>
        <dd>{t(`grades.reliability.${reliability}` as MessageKey)}</dd>
      </div>
      <div>
        <dt>{t('summaries.credibility')}</dt>
        <dd>{t(`grades.credibility.${credibility}` as MessageKey)}</dd>
      </div>
    </dl>
  );
}

function claimValue(c: SummarySnapshot['claims'][number], lang: Locale): string {
  const num = numberFormat(lang);
  const unit = c.unit ? ` ${c.unit}` : '';
  if (c.valueLow !== null && c.valueHigh !== null && c.valueLow !== c.valueHigh) return `${num(c.valueLow)}–${num(c.valueHigh)}${unit}`;
  if (c.valueLow !== null) return `${num(c.valueLow)}${unit}`;
  if (c.valueHigh !== null) return `${num(c.valueHigh)}${unit}`;
  return c.valueText ?? '';
}

function SectionView({ section, n, t, lang, period }: { section: Section; n: number; t: T; lang: Locale; period: string }) {
  const answer = section.answer;
  const num = numberFormat(lang);
  const figure = figureFormat(t, lang, answer.unit);
  const isCount = answer.kind === 'count';
  const measure = measureLabel(t, answer.measure);
  const byText = answer.by.map((d) => dimensionLabel(t, d)).join(' × ');
  const title = answer.by.length ? t('aggregates.resultTitle', { measure, by: byText }) : t('aggregates.resultTitleTotal', { measure });
  const hidden = hiddenLabel(t);
  const id = `figure-${n}`;
  const wantsChart = section.chart === 'bars' || section.chart === 'grouped-bars';
  const model = wantsChart ? chartModel(answer, cellIndex(answer), { value: (d, v) => valueLabel(t, d, v), figure, number: num }) : null;
  const drawable = !!model && model.groups.some((g) => g.bars.some((b) => (b.value ?? 0) > 0 || (isCount && b.suppressed)));
  const anyHidden = [...answer.cells, ...answer.margins].some((c) => 'suppressed' in c);
  const description = model?.seriesBy
    ? t('aggregates.chartDescGrouped', { title, period, k: answer.k, groups: dimensionLabel(t, model.groupBy), series: dimensionLabel(t, model.seriesBy) })
    : t('aggregates.chartDesc', { title, period, k: answer.k });

  return (
    <section className="summary-section" aria-labelledby={`${id}-heading`} data-testid="summary-section" data-chart={section.chart}>
      <h2 id={`${id}-heading`}>
        <span className="figure-number">{t('summaries.sectionLabel', { n })}</span> {title}
      </h2>
      {section.caption && <p className="section-caption">{section.caption}</p>}
      {model && drawable && (
        <figure className="chart">
          <AggregateChart model={model} percent={answer.unit === 'percent'} texts={{ id, title: t('aggregates.chartTitle', { title }), description, suppressed: hidden, formatTick: isCount ? num : figure }} />
          {model.omitted && <figcaption className="muted small">{t('aggregates.chartOmitted')}</figcaption>}
        </figure>
      )}
      <TableWrap label={t('summaries.tableOf', { n })}>
        <AnswerTable answer={answer} t={t} locale={lang} title={title} heat={section.chart === 'heat-table'} testId="summary-table" />
      </TableWrap>
      {anyHidden && (
        <div className="legend-notes">
          <HiddenCellsNote t={t} />
        </div>
      )}
    </section>
  );
}
