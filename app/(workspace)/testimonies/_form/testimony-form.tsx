import type { ReactNode } from 'react';
import {
  ageBand,
  consentMethod,
  currency,
  housingKind,
  iloIndicator,
  injurySeverity,
  ledgerPaid,
  medicalCare,
  outcome,
  sex,
  siteType,
  tri,
  visaType,
} from '@/db/schema';
import type { T } from '@/lib/i18n';
import { AUDIENCES } from '@/lib/testimonies/audience';
import { FEDERAL_SUBJECTS } from '@/lib/testimonies/domain/regions';
import type { TestimonyFormValues } from './values';
import { FieldError } from './field-form';

type Options = readonly string[];

function Field(props: { name: string; label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="field">
      <span>{props.label}</span>
      {props.children}
      {props.hint && <small>{props.hint}</small>}
      <FieldError name={props.name} />
    </label>
  );
}

function Select(props: { name: string; label: string; options: Options; value?: string; labelOf: (v: string) => string; empty?: boolean }) {
  return (
    <Field name={props.name} label={props.label}>
      <select name={props.name} defaultValue={props.value ?? ''}>
        {props.empty !== false && <option value="">—</option>}
        {props.options.map((o) => (
          <option key={o} value={o}>
            {props.labelOf(o)}
          </option>
        ))}
      </select>
    </Field>
  );
}

const INJURY_ROWS = 3;

/** Every section of the record, in the order of an interview. Used by "new" and "edit". */
export function TestimonyFields({ t, v, isNew, interviewers }: { t: T; v: TestimonyFormValues; isNew: boolean; interviewers: { id: string; email: string }[] }) {
  const emailOf = new Map(interviewers.map((u) => [u.id, u.email]));
  const en = (group: string) => (value: string) => t(`enums.${group}.${value}` as never);
  const injuries = [...v.injuries, ...Array.from({ length: Math.max(1, INJURY_ROWS - v.injuries.length) }, () => undefined)];
  return (
    <>
      <fieldset>
        <legend>{t('testimony.interview')}</legend>
        <div className="grid">
          {isNew && (
            <Field name="subjectCode" label={t('testimony.subjectCode')}>
              <input name="subjectCode" placeholder="W-7K3F9Q" autoComplete="off" maxLength={9} />
            </Field>
          )}
          <Field name="interviewDate" label={t('testimony.interviewDate')}>
            <input type="date" name="interviewDate" defaultValue={v.interviewDate} />
          </Field>
          <Select name="interviewerId" label={t('testimony.interviewer')} options={interviewers.map((u) => u.id)} value={v.interviewerId} labelOf={(id) => emailOf.get(id) ?? id} />
          <Field name="interviewLanguage" label={t('testimony.interviewLanguage')}>
            <input name="interviewLanguage" defaultValue={v.interviewLanguage} maxLength={20} placeholder={t('testimony.languageHint')} />
          </Field>
          <Select name="ageBand" label={t('testimony.ageBand')} options={ageBand.enumValues} value={v.ageBand} labelOf={(x) => x} />
          {isNew && <Select name="subject.sex" label={t('testimony.sex')} options={sex.enumValues} labelOf={en('sex')} />}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('testimony.deployment')}</legend>
        <div className="grid">
          <Field name="deployment.start" label={t('testimony.start')}>
            <input type="month" name="deployment.start" defaultValue={v.deployment.start} />
          </Field>
          <Field name="deployment.end" label={t('testimony.end')}>
            <input type="month" name="deployment.end" defaultValue={v.deployment.end} />
          </Field>
          <Field name="deployment.region" label={t('testimony.region')}>
            <select name="deployment.region" defaultValue={v.deployment.region ?? ''}>
              <option value="">—</option>
              {FEDERAL_SUBJECTS.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
              <option value="other">other</option>
            </select>
          </Field>
          <Select name="deployment.siteType" label={t('testimony.siteType')} options={siteType.enumValues} value={v.deployment.siteType} labelOf={en('siteType')} />
          <Select name="deployment.visaType" label={t('testimony.visaType')} options={visaType.enumValues} value={v.deployment.visaType} labelOf={en('visaType')} />
          <Select name="deployment.outcome" label={t('testimony.outcome')} options={outcome.enumValues} value={v.deployment.outcome} labelOf={en('outcome')} />
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('testimony.hours')}</legend>
        <div className="grid">
          <Field name="hours.shiftStart" label={t('testimony.shiftStart')} hint={t('testimony.shiftHint')}>
            <input type="time" name="hours.shiftStart" defaultValue={v.hours.shiftStart} />
          </Field>
          <Field name="hours.shiftEnd" label={t('testimony.shiftEnd')}>
            <input type="time" name="hours.shiftEnd" defaultValue={v.hours.shiftEnd} />
          </Field>
          <Field name="hours.daysPerWeek" label={t('testimony.daysPerWeek')}>
            <input type="number" name="hours.daysPerWeek" min={0} max={7} step={0.5} defaultValue={v.hours.daysPerWeek} />
          </Field>
          <Field name="hours.restDaysPerYear" label={t('testimony.restDaysPerYear')}>
            <input type="number" name="hours.restDaysPerYear" min={0} max={366} step={1} defaultValue={v.hours.restDaysPerYear} />
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('testimony.pay')}</legend>
        <div className="grid">
          <Select name="pay.currency" label={t('testimony.currency')} options={currency.enumValues} value={v.pay.currency} labelOf={(x) => x} />
          {(['wagePaid', 'loyaltyContribution', 'ledgerCredit', 'receivedInHand'] as const).map((k) => (
            <Field key={k} name={`pay.${k}`} label={t(`testimony.${k}`)}>
              <input type="number" name={`pay.${k}`} min={0} step="any" defaultValue={v.pay[k]} />
            </Field>
          ))}
          <Select name="pay.ledgerPaid" label={t('testimony.ledgerPaid')} options={ledgerPaid.enumValues} value={v.pay.ledgerPaid} labelOf={en('ledgerPaid')} />
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('testimony.conditions')}</legend>
        <div className="grid">
          <Select name="conditions.housing" label={t('testimony.housing')} options={housingKind.enumValues} value={v.conditions.housing} labelOf={en('housing')} />
          {(['minders', 'ideologicalSessions', 'phonesForbidden'] as const).map((k) => (
            <Select key={k} name={`conditions.${k}`} label={t(`testimony.${k}`)} options={tri.enumValues} value={v.conditions[k]} labelOf={en('tri')} />
          ))}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('testimony.injuries')}</legend>
        {injuries.map((inj, i) => (
          <div className="grid injury" key={i} role="group" aria-label={`${t('testimony.injury')} ${i + 1}`}>
            <Field name={`injuries.${i}.kind`} label={t('testimony.injuryKind')}>
              <input name={`injuries.${i}.kind`} defaultValue={inj?.kind} maxLength={60} placeholder={t('testimony.injuryHint')} />
            </Field>
            <Select name={`injuries.${i}.severity`} label={t('testimony.severity')} options={injurySeverity.enumValues} value={inj?.severity} labelOf={en('severity')} />
            <Field name={`injuries.${i}.month`} label={t('testimony.month')}>
              <input type="month" name={`injuries.${i}.month`} defaultValue={inj?.month} />
            </Field>
            <Select name={`injuries.${i}.care`} label={t('testimony.care')} options={medicalCare.enumValues} value={inj?.care} labelOf={en('care')} />
            <Select name={`injuries.${i}.keptWorking`} label={t('testimony.keptWorking')} options={tri.enumValues} value={inj?.keptWorking} labelOf={en('tri')} />
          </div>
        ))}
      </fieldset>

      <fieldset>
        <legend>{t('testimony.indicators')}</legend>
        <div className="indicators">
          {iloIndicator.enumValues.map((key) => (
            <div className="grid indicator" key={key}>
              <Select name={`indicators.${key}.answer`} label={t(`enums.indicator.${key}`)} options={tri.enumValues} value={v.indicators[key]?.answer} labelOf={en('tri')} />
              <Field name={`indicators.${key}.note`} label={t('testimony.note')}>
                <input name={`indicators.${key}.note`} defaultValue={v.indicators[key]?.note} maxLength={2000} />
              </Field>
            </div>
          ))}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('testimony.accounts')}</legend>
        <Field name="narrative" label={t('testimony.narrative')}>
          <textarea name="narrative" rows={8} defaultValue={v.narrative} />
        </Field>
        <Field name="interviewerNotes" label={t('testimony.interviewerNotes')}>
          <textarea name="interviewerNotes" rows={4} defaultValue={v.interviewerNotes} />
        </Field>
      </fieldset>

      {isNew && (
        <fieldset>
          <legend>{t('testimony.consent')}</legend>
          <div className="checks" role="group" aria-label={t('testimony.scopes')}>
            {AUDIENCES.map((s) => (
              <label key={s} className="check">
                <input type="checkbox" name="consent.scopes" value={s} defaultChecked={s === 'internal'} disabled={s === 'internal'} />
                {t(`enums.scope.${s}`)}
              </label>
            ))}
          </div>
          <FieldError name="consent.scopes" />
          <Select name="consent.method" label={t('testimony.method')} options={consentMethod.enumValues} labelOf={en('method')} empty={false} />
        </fieldset>
      )}
    </>
  );
}
