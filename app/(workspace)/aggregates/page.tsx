import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { ZodError } from 'zod';
import { AggregateChart, chartModel } from '@/app/_components/aggregate-chart';
import { AnswerTable, HiddenCellsNote } from '@/app/_components/aggregate-table';
import { TableWrap } from '@/app/_components/table-wrap';
import { TooManyRequests } from '@/app/_components/too-many-requests';
import { expensivePageRefusal, requirePageAction } from '@/app/_lib/page-actor';
import { aggregateFor, type AggregateAnswer, type OutCell } from '@/lib/aggregates';
import { myBudget, type BudgetUse } from '@/lib/aggregates/budget';
import { dimensionsFor, FORBIDDEN_DIMENSIONS, MEASURES, Period, queryFromSearchParams, type DimensionId } from '@/lib/aggregates/definitions';
import { BadInput, Forbidden, RateLimited } from '@/lib/errors';
import { getLocale, getT, problemText, type MessageKey, type T } from '@/lib/i18n';
import {
  cellIndex,
  dimensionLabel,
  figureFormat,
  hiddenLabel,
  measureBasis,
  measureGroups,
  measureLabel,
  numberFormat,
  periodLabel,
  valueLabel,
} from '@/app/_components/aggregate-present';

export const metadata: Metadata = { title: 'Aggregates' };

type Search = Record<string, string | string[] | undefined>;
type Field = 'measure' | 'by' | 'from' | 'to' | 'form';
type FieldErrors = Partial<Record<Field, string[]>>;

const FIRST_YEAR = 2015;
const DEFAULT_QUERY = { measure: 'workers', by: ['year'] };

function paramsOf(search: Search): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, v);
  }
  return params;
}

/** Why a question was refused, in the reader's language (lib's messages are English, for the API). */
function fieldErrorsOf(t: T, e: ZodError | BadInput, raw: Record<string, unknown>): FieldErrors {
  const out: FieldErrors = {};
  const add = (field: Field, message: string) => {
    const list = (out[field] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  if (e instanceof BadInput) {
    for (const issue of e.issues ?? []) add(issue.path === 'by' ? 'by' : 'form', issue.path === 'by' ? t('aggregates.errors.unknownBreakdown') : issue.message);
    if (!e.issues?.length) add('form', problemText(t, e));
    return out;
  }
  for (const issue of e.issues) {
    const field = String(issue.path[0] ?? '');
    if (issue.code === 'unrecognized_keys') add('form', t('aggregates.errors.unknownParameter', { names: issue.keys.join(', ') }));
    else if (field === 'measure') add('measure', t('aggregates.errors.measure'));
    else if (field === 'by') add('by', t(issue.code === 'too_big' && issue.path.length === 1 ? 'aggregates.errors.tooManyBreakdowns' : issue.code === 'custom' ? 'aggregates.errors.sameBreakdown' : 'aggregates.errors.unknownBreakdown'));
    else if (field === 'from' || field === 'to') {
      const value = raw[field];
      const key: MessageKey =
        typeof value !== 'string' || !/^\d{4}(Q[1-4])?$/.test(value) ? 'aggregates.errors.period' : Period.safeParse(value).success ? 'aggregates.errors.periodOrder' : 'aggregates.errors.periodRange';
      add(field, t(key));
    } else add('form', t('errors.invalid'));
  }
  return out;
}

function periodOptions(t: T, current: string | undefined) {
  const last = new Date().getUTCFullYear();
  const years = Array.from({ length: last - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i);
  const extra = current && Period.safeParse(current).success && !years.includes(Number(current.slice(0, 4))) ? Number(current.slice(0, 4)) : null;
  if (extra !== null) years.push(extra);
  return years
    .sort((a, b) => a - b)
    .map((year) => (
      <optgroup key={year} label={String(year)}>
        <option value={String(year)}>{t('aggregates.wholeYear', { year })}</option>
        {[1, 2, 3, 4].map((q) => (
          <option key={q} value={`${year}Q${q}`}>
            {t('aggregates.quarter', { year, q })}
          </option>
        ))}
      </optgroup>
    ));
}

function FieldError({ id, messages }: { id: string; messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <p className="field-error" id={id} data-testid={id}>
      {messages.join(' ')}
    </p>
  );
}

export default async function AggregatesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePageAction('aggregate.read');
  const params = paramsOf(await searchParams);
  const tooMany = await expensivePageRefusal(actor);
  if (tooMany) return <TooManyRequests refused={tooMany} retryHref={`/aggregates?${params}`} />;
  const t = await getT();
  const locale = await getLocale();
  const raw: Record<string, unknown> = [...params.keys()].length ? queryFromSearchParams(params) : { ...DEFAULT_QUERY };
  const allowed = dimensionsFor('researcher');

  let answer: AggregateAnswer | null = null;
  let refused: string | null = null;
  let overBudget: string | null = null;
  let errors: FieldErrors = {};
  try {
    answer = await aggregateFor(actor, raw);
  } catch (e) {
    const asked = Array.isArray(raw.by) ? raw.by.map(String) : [];
    if (e instanceof Forbidden) refused = asked.some((d) => (FORBIDDEN_DIMENSIONS as readonly string[]).includes(d)) ? t('aggregates.refusedHomeProvince') : t('aggregates.refusedOther');
    else if (e instanceof ZodError || e instanceof BadInput) errors = fieldErrorsOf(t, e, raw);
    else if (e instanceof RateLimited) overBudget = problemText(t, e);
    else throw e;
  }
  const budget = await myBudget(actor);

  // The form shows the question asked, keeping only what it can show.
  const rawBy = (Array.isArray(raw.by) ? raw.by : []).filter((d): d is DimensionId => typeof d === 'string' && (allowed as string[]).includes(d));
  const validPeriod = (v: unknown) => (typeof v === 'string' && Period.safeParse(v).success ? v : '');
  const form = answer
    ? { measure: answer.measure, by: answer.by, from: answer.period.from ?? '', to: answer.period.to ?? '' }
    : { measure: typeof raw.measure === 'string' && MEASURES.has(raw.measure) ? raw.measure : 'workers', by: rawBy.slice(0, 2), from: validPeriod(raw.from), to: validPeriod(raw.to) };
  const describedBy = (field: Field) => (errors[field]?.length ? `error-${field}` : undefined);

  return (
    <section className="aggregates">
      <h1>{t('aggregates.title')}</h1>
      <p className="lead">{t('aggregates.intro')}</p>

      <form method="get" action="/aggregates" className="panel query-form" data-testid="aggregate-form" aria-label={t('aggregates.query')}>
        <div className="query-fields">
          <div className="query-field">
            <label htmlFor="q-measure">{t('aggregates.measure')}</label>
            <select id="q-measure" name="measure" defaultValue={form.measure} aria-invalid={!!errors.measure || undefined} aria-describedby={describedBy('measure')}>
              {measureGroups().map((g) => (
                <optgroup key={g.group} label={t(`aggregates.groups.${g.group}`)}>
                  {g.ids.map((id) => (
                    <option key={id} value={id}>
                      {measureLabel(t, id)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            <FieldError id="error-measure" messages={errors.measure} />
          </div>
          <div className="query-field">
            <label htmlFor="q-by">{t('aggregates.breakdown')}</label>
            <select id="q-by" name="by" defaultValue={form.by[0] ?? 'year'} aria-invalid={!!errors.by || undefined} aria-describedby={describedBy('by')}>
              {allowed.map((d) => (
                <option key={d} value={d}>
                  {dimensionLabel(t, d)}
                </option>
              ))}
            </select>
            <FieldError id="error-by" messages={errors.by} />
          </div>
          <div className="query-field">
            <label htmlFor="q-by2">{t('aggregates.breakdown2')}</label>
            <select id="q-by2" name="by" defaultValue={form.by[1] ?? ''} aria-invalid={!!errors.by || undefined} aria-describedby={describedBy('by')}>
              <option value="">{t('aggregates.noSecond')}</option>
              {allowed.map((d) => (
                <option key={d} value={d}>
                  {dimensionLabel(t, d)}
                </option>
              ))}
            </select>
          </div>
          <div className="query-field">
            <label htmlFor="q-from">{t('aggregates.from')}</label>
            <select id="q-from" name="from" defaultValue={form.from} aria-invalid={!!errors.from || undefined} aria-describedby={describedBy('from') ?? 'period-hint'}>
              <option value="">{t('aggregates.earliest')}</option>
              {periodOptions(t, form.from)}
            </select>
            <FieldError id="error-from" messages={errors.from} />
          </div>
          <div className="query-field">
            <label htmlFor="q-to">{t('aggregates.to')}</label>
            <select id="q-to" name="to" defaultValue={form.to} aria-invalid={!!errors.to || undefined} aria-describedby={describedBy('to') ?? 'period-hint'}>
              <option value="">{t('aggregates.latest')}</option>
              {periodOptions(t, form.to)}
            </select>
            <FieldError id="error-to" messages={errors.to} />
          </div>
        </div>
        <p className="hint" id="period-hint">
          {t('aggregates.periodHint')}
        </p>
        <button type="submit">{t('aggregates.show')}</button>
      </form>

      {refused && (
        <div className="refusal" data-testid="aggregate-refused">
          <h2>
            {t('aggregates.refusedTitle')} <span className="muted">(403)</span>
          </h2>
          <p>{refused}</p>
        </div>
      )}
      {overBudget && (
        <div className="refusal" data-testid="aggregate-over-budget">
          <h2>
            {t('aggregates.refusedTitle')} <span className="muted">(429)</span>
          </h2>
          <p>{overBudget}</p>
        </div>
      )}
      {Object.keys(errors).length > 0 && (
        <div className="form-errors" data-testid="aggregate-errors">
          <p className="error">{t('aggregates.errorsTitle')}</p>
          <ul>
            {Object.entries(errors).flatMap(([field, messages]) => messages.map((m) => <li key={`${field}-${m}`}>{m}</li>))}
          </ul>
        </div>
      )}
      {answer && <Result answer={answer} t={t} locale={locale} orgName={actor.orgName} budget={budget} />}
    </section>
  );
}

function Result({ answer, t, locale, orgName, budget }: { answer: AggregateAnswer; t: T; locale: 'en' | 'ko'; orgName: string; budget: BudgetUse | null }) {
  const num = numberFormat(locale);
  const figure = figureFormat(t, locale, answer.unit);
  const find = cellIndex(answer);
  const isCount = answer.kind === 'count';
  const measure = measureLabel(t, answer.measure);
  const byText = answer.by.map((d) => dimensionLabel(t, d)).join(' × ');
  const title = answer.by.length ? t('aggregates.resultTitle', { measure, by: byText }) : t('aggregates.resultTitleTotal', { measure });
  const { from, to } = answer.period;
  const period =
    from && to
      ? t('aggregates.periodRange', { from: periodLabel(t, from), to: periodLabel(t, to) })
      : from
        ? t('aggregates.periodFrom', { from: periodLabel(t, from) })
        : to
          ? t('aggregates.periodTo', { to: periodLabel(t, to) })
          : t('aggregates.periodAll');
  const hidden = hiddenLabel(t);
  const label = (d: DimensionId, v: string) => valueLabel(t, d, v);

  const csvQuery = new URLSearchParams([['measure', answer.measure], ...answer.by.map((d) => ['by', d]), ...(from ? [['from', from]] : []), ...(to ? [['to', to]] : [])]);

  const model = chartModel(answer, find, { value: label, figure, number: num });
  const chartTitle = `${title}, ${period}`;
  // Hidden counts alone still make a chart of counts (where the groups are); medians and shares need a figure.
  const drawable = !!model && model.groups.some((g) => g.bars.some((b) => (b.value ?? 0) > 0 || (isCount && b.suppressed)));
  const anyHidden = [...answer.cells, ...answer.margins].some((c) => 'suppressed' in c);
  const anyDash = !isCount && [...answer.cells, ...answer.margins].some((c) => !('suppressed' in c) && c.value === null);
  const description = model?.seriesBy
    ? t('aggregates.chartDescGrouped', { title, period, k: answer.k, groups: dimensionLabel(t, model.groupBy), series: dimensionLabel(t, model.seriesBy) })
    : t('aggregates.chartDesc', { title, period, k: answer.k });

  return (
    <section className="aggregate-result" aria-labelledby="result-title" data-testid="aggregate-result">
      <h2 id="result-title">{title}</h2>
      <p className="period">{period}</p>
      <div className="caption" data-testid="aggregate-caption">
        <p>{answer.audience === 'research' ? t('aggregates.whoResearch') : t('aggregates.whoInternal', { org: orgName })}</p>
        <p>
          <strong>{t('aggregates.kRule', { k: answer.k, below: answer.k - 1 })}</strong>
        </p>
        <p>{measureBasis(t, answer.measure, answer.k)}</p>
        {answer.perturbed && answer.perturbation && (
          <p data-testid="perturbed-note">
            <strong>{t('aggregates.perturbedNote', { maxDeviation: answer.perturbation.maxDeviation })}</strong>{' '}
            <a href="/methodology#perturbation">{t('aggregates.perturbedWhy')}</a>
          </p>
        )}
        {budget && (
          <p className="muted" data-testid="budget-line">
            {t('aggregates.budgetLine', { used: budget.used, allowance: budget.allowance, days: budget.windowDays })}
          </p>
        )}
      </div>

      {model && !drawable && (
        <p className="muted" data-testid="no-chart">
          {t('aggregates.noChart')}
        </p>
      )}
      {model && drawable && (
        <figure className="chart">
          <AggregateChart
            model={model}
            percent={answer.unit === 'percent'}
            texts={{ id: 'aggregate-chart', title: t('aggregates.chartTitle', { title: chartTitle }), description, suppressed: hidden, formatTick: isCount ? num : figure }}
          />
          {model.omitted && <figcaption className="muted small">{t('aggregates.chartOmitted')}</figcaption>}
        </figure>
      )}

      <TableWrap label={t('aggregates.table', { title })}>
        <AnswerTable answer={answer} t={t} locale={locale} title={answer.by.length === 2 ? title : chartTitle} />
      </TableWrap>

      <div className="legend-notes">
        {anyHidden && <HiddenCellsNote t={t} />}
        {anyDash && <p>{t('aggregates.dashNote')}</p>}
      </div>
      <p className="download">
        <a className="button" href={`/aggregates/csv?${csvQuery}`} download data-testid="csv-link">
          {t('aggregates.csv')}
        </a>{' '}
        <span className="muted small">{t('aggregates.csvHint')}</span>
      </p>
    </section>
  );
}
