'use client';
import { startTransition, useActionState, type FormEvent, type ReactNode } from 'react';
import type { FormState } from '@/app/_lib/form-action';
import type { Messages } from '@/lib/i18n/en';
import type { FormOptions, Option } from './options';
import { MAX_SECTIONS, type SummaryFormValues } from './values';

/** What the summary form's action answers: the usual form state plus the values to show again. */
export interface SummaryFormState extends FormState {
  values?: SummaryFormValues;
  revision?: number;
  /** Changes on every answer, so the fields start again from `values`. */
  stamp?: string;
}

export interface Choices {
  quotes: { id: string; text: string }[];
  sources: { id: string; title: string; publisher: string | null; reliability: string; credibility: string }[];
  claims: { id: string; sourceTitle: string; question: string; value: string; excerpt: string }[];
  summaries: { slug: string; language: string }[];
}

type Text = Messages['publications']['form'];
const fill = (s: string, vars: Record<string, string | number>) => Object.entries(vars).reduce((out, [k, v]) => out.replaceAll(`{${k}}`, String(v)), s);

/**
 * The summary form. Without JavaScript it posts and the server answers with the page and this
 * state; with it, the same action runs in a transition. Either way the fields start from the values
 * the action hands back, so nothing typed is lost on an error, an added or a removed section.
 */
export function SummaryForm(props: {
  action: (prev: SummaryFormState, form: FormData) => Promise<SummaryFormState>;
  initial: SummaryFormValues;
  mode: 'new' | 'edit';
  id?: string;
  revision?: number;
  readOnly?: boolean;
  options: FormOptions;
  choices: Choices;
  text: Text;
}) {
  const [state, run, pending] = useActionState(props.action, {});
  const v = state.values ?? props.initial;
  const errors = state.fieldErrors ?? {};
  const t = props.text;
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
    startTransition(() => run(data));
  };
  const err = (name: string) =>
    errors[name] ? (
      <span className="field-error" id={`error-${name}`} data-testid={`error-${name}`}>
        {errors[name]}
      </span>
    ) : null;
  const described = (name: string) => (errors[name] ? { 'aria-describedby': `error-${name}`, 'aria-invalid': true as const } : {});
  const ro = props.readOnly === true;

  return (
    <form action={run} onSubmit={onSubmit} className="record" data-testid="summary-form" noValidate>
      {state.message && (
        <p className={state.ok ? 'notice' : 'error'} role="status" data-testid="form-message">
          {state.message}
        </p>
      )}
      {err('form')}
      <fieldset disabled={ro} key={state.stamp ?? 'initial'} className="plain">
        {props.id && <input type="hidden" name="id" value={props.id} />}
        {props.revision !== undefined && <input type="hidden" name="revision" value={state.revision ?? props.revision} />}

        <fieldset>
          <legend>{t.address}</legend>
          <div className="grid">
            {props.mode === 'new' ? (
              <label className="field">
                <span>{t.slug}</span>
                <input name="slug" defaultValue={v.slug} autoComplete="off" maxLength={80} {...described('slug')} />
                <small>{t.slugHint}</small>
                {err('slug')}
              </label>
            ) : (
              <input type="hidden" name="slug" value={v.slug} />
            )}
            <Select name="language" label={t.language} value={v.language} options={props.options.languages} error={err('language')} disabled={props.mode === 'edit'} />
            {props.mode === 'new' && (
              <Select
                name="translationOf"
                label={t.translationOf}
                value={v.translationOf}
                options={[{ value: '', label: t.translationNone }, ...props.choices.summaries.map((s) => ({ value: s.slug, label: `${s.slug} (${s.language})` }))]}
                error={err('translationOf')}
              />
            )}
          </div>
          <label className="field">
            <span>{t.title}</span>
            <input name="title" defaultValue={v.title} maxLength={200} {...described('title')} />
            {err('title')}
          </label>
        </fieldset>

        <fieldset>
          <legend>{t.scope}</legend>
          <div className="grid">
            <Period which="from" label={t.from} year={v.fromYear} quarter={v.fromQuarter} years={props.options.years} t={t} error={err('from')} />
            <Period which="to" label={t.to} year={v.toYear} quarter={v.toQuarter} years={props.options.years} t={t} error={err('to')} />
          </div>
          <Checks name="districts" legend={t.districts} hint={t.allWhenNone} options={props.options.districts} checked={v.districts} error={err('districts')} />
          <Checks name="siteTypes" legend={t.siteTypes} hint={t.allWhenNone} options={props.options.siteTypes} checked={v.siteTypes} error={err('siteTypes')} />
        </fieldset>

        <fieldset>
          <legend>{t.sections}</legend>
          {err('sections')}
          {v.sections.map((s, i) => (
            <fieldset key={i} className="section-row" data-testid={`section-${i}`}>
              <legend>{fill(t.section, { n: i + 1 })}</legend>
              <div className="grid">
                <label className="field">
                  <span>{t.measure}</span>
                  <select name={`sections.${i}.measure`} defaultValue={s.measure} {...described(`sections.${i}.measure`)}>
                    {props.options.measures.map((g) => (
                      <optgroup key={g.label} label={g.label}>
                        {g.options.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </optgroup>
                    ))}
                  </select>
                  {err(`sections.${i}.measure`)}
                </label>
                <Select name={`sections.${i}.by0`} label={t.by0} value={s.by0} options={props.options.dimensions} error={err(`sections.${i}.by`)} />
                <Select name={`sections.${i}.by1`} label={t.by1} value={s.by1} options={[{ value: '', label: t.noSecond }, ...props.options.dimensions]} />
                <Select name={`sections.${i}.chart`} label={t.chart} value={s.chart} options={props.options.charts} error={err(`sections.${i}.chart`)} />
              </div>
              <label className="field">
                <span>{t.caption}</span>
                <input name={`sections.${i}.caption`} defaultValue={s.caption} maxLength={600} {...described(`sections.${i}.caption`)} />
                {err(`sections.${i}.caption`)}
              </label>
              {!ro && (
                <button type="submit" name="intent" value={`remove:${i}`} className="secondary" formNoValidate>
                  {fill(t.removeSection, { n: i + 1 })}
                </button>
              )}
            </fieldset>
          ))}
          {!ro &&
            (v.sections.length < MAX_SECTIONS ? (
              <button type="submit" name="intent" value="add" className="secondary">
                {t.addSection}
              </button>
            ) : (
              <p className="muted">{fill(t.maxSections, { n: MAX_SECTIONS })}</p>
            ))}
        </fieldset>

        <fieldset>
          <legend>{t.body}</legend>
          <label className="field">
            <span className="visually-hidden">{t.body}</span>
            <textarea name="body" rows={10} defaultValue={v.body} aria-describedby="body-hint" />
            <small id="body-hint">{t.bodyHint}</small>
            {err('body')}
          </label>
        </fieldset>

        <Picker legend={t.quotes} empty={t.quotesNone} name="quoteIds" checked={v.quoteIds} error={err('quoteIds')} items={props.choices.quotes.map((q) => ({ id: q.id, label: <q>{q.text}</q> }))} />
        <Picker
          legend={t.sources}
          empty={t.sourcesNone}
          name="sourceIds"
          checked={v.sourceIds}
          error={err('sourceIds')}
          items={props.choices.sources.map((s) => ({
            id: s.id,
            label: (
              <>
                {s.title}
                {s.publisher ? ` — ${s.publisher}` : ''} <span className="muted">({fill(t.grade, { grade: `${s.reliability}${s.credibility}` })})</span>
              </>
            ),
          }))}
        />
        <Picker
          legend={t.claims}
          empty={t.claimsNone}
          name="claimIds"
          checked={v.claimIds}
          error={err('claimIds')}
          items={props.choices.claims.map((c) => ({
            id: c.id,
            label: (
              <>
                <strong>{c.question}</strong>: {c.value} <span className="muted">({c.sourceTitle})</span>
              </>
            ),
          }))}
        />
      </fieldset>
      {!ro && (
        <div className="actions">
          <button type="submit" name="intent" value="save" disabled={pending}>
            {props.mode === 'new' ? t.create : t.save}
          </button>
        </div>
      )}
    </form>
  );
}

function Select(props: { name: string; label: string; value: string; options: Option[]; error?: ReactNode; disabled?: boolean }) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <select name={props.name} defaultValue={props.value} disabled={props.disabled} aria-invalid={props.error ? true : undefined} aria-describedby={props.error ? `error-${props.name}` : undefined}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.disabled && <input type="hidden" name={props.name} value={props.value} />}
      {props.error}
    </label>
  );
}

function Period(props: { which: 'from' | 'to'; label: string; year: string; quarter: string; years: string[]; t: Text; error: ReactNode }) {
  return (
    <fieldset className="period">
      <legend>{props.label}</legend>
      <label className="field">
        <span>{props.t.year}</span>
        <select name={`${props.which}Year`} defaultValue={props.year} aria-describedby={props.error ? `error-${props.which}` : undefined}>
          {props.years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{props.t.quarter}</span>
        <select name={`${props.which}Quarter`} defaultValue={props.quarter}>
          <option value="">{props.t.wholeYear}</option>
          {['1', '2', '3', '4'].map((q) => (
            <option key={q} value={q}>
              Q{q}
            </option>
          ))}
        </select>
      </label>
      {props.error}
    </fieldset>
  );
}

function Checks(props: { name: string; legend: string; hint: string; options: Option[]; checked: string[]; error: ReactNode }) {
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      <p className="muted">{props.hint}</p>
      <div className="checks">
        {props.options.map((o) => (
          <label key={o.value} className="check">
            <input type="checkbox" name={props.name} value={o.value} defaultChecked={props.checked.includes(o.value)} />
            {o.label}
          </label>
        ))}
      </div>
      {props.error}
    </fieldset>
  );
}

function Picker(props: { legend: string; empty: string; name: string; checked: string[]; items: { id: string; label: ReactNode }[]; error: ReactNode }) {
  return (
    <fieldset data-testid={`pick-${props.name}`}>
      <legend>{props.legend}</legend>
      {props.items.length === 0 ? (
        <p className="muted" data-testid={`empty-${props.name}`}>
          {props.empty}
        </p>
      ) : (
        <ul className="plain">
          {props.items.map((item) => (
            <li key={item.id}>
              <label className="check">
                <input type="checkbox" name={props.name} value={item.id} defaultChecked={props.checked.includes(item.id)} />
                <span>{item.label}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {props.error}
    </fieldset>
  );
}
