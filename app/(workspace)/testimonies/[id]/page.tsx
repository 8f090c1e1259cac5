import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { ActionForm } from '@/app/_components/action-form';
import { pageData, requirePageAction } from '@/app/_lib/page-actor';
import { can } from '@/lib/access';
import { getLocale, getT } from '@/lib/i18n';
import { getTestimony, interviewerChoices } from '@/lib/testimonies';
import { listQuotes } from '@/lib/testimonies/quotes';
import { approveAction, submitAction, withdrawAction } from '../actions';
import { QuotesSection } from './quotes-section';
import { linkSourceAction } from '../../sources/actions';
import { searchSources } from '@/lib/sources';
import { sourcesOfTestimony } from '@/lib/sources/links';

export const metadata: Metadata = { title: 'Testimony' };

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children ?? '—'}</dd>
    </>
  );
}

export default async function TestimonyPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageAction('testimony.read');
  const t = await getT();
  const locale = await getLocale();
  const x = await pageData(getTestimony(actor, (await params).id));
  const quotes = await pageData(listQuotes(actor, x.id));
  const interviewer = x.interviewerId ? (await interviewerChoices(actor)).find((u) => u.id === x.interviewerId)?.email : undefined;
  const quotable = x.consent?.covers.public_quote ?? false;
  const en = (group: string, v: string | null | undefined) => (v ? t(`enums.${group}.${v}` as never) : '—');
  const hhmm = (v: string | null) => v?.slice(0, 5) ?? null;
  const { derived } = x; // hours, share withheld and the pay flag, computed once in lib/
  const money = (v: number | null) => (v == null ? '—' : `${v.toLocaleString(locale)} ${x.payCurrency ?? ''}`);
  const [links, { sources: choices }] = await Promise.all([sourcesOfTestimony(actor, x.id), searchSources(actor, { limit: 100 })]);
  const canApprove = can(actor, 'testimony.approve', { orgId: x.orgId, enteredBy: x.enteredBy });
  return (
    <article className="record-view">
      <div className="heading-row">
        <h1>
          {t('testimony.subject')} <span className="code" data-testid="subject-code">{x.subjectCode}</span>
        </h1>
        <span className={`status status-${x.status}`} data-testid="status">
          {t(`enums.status.${x.status}`)} · {t('testimony.version')} {x.version}
        </span>
      </div>
      <p className="muted">{t('testimony.viewsAudited')}</p>
      <p>
        <Link href={`/testimonies/${x.id}/edit`} className="button secondary-link">
          {t('testimony.edit')}
        </Link>
      </p>

      <section className="panel">
        <h2>{t('testimony.interview')}</h2>
        <dl>
          <Row label={t('testimony.interviewDate')}>{x.interviewDate}</Row>
          <Row label={t('testimony.interviewer')} testId="interviewer">
            {interviewer}
          </Row>
          <Row label={t('testimony.interviewLanguage')}>{x.interviewLanguage}</Row>
          <Row label={t('testimony.ageBand')}>{x.ageBand}</Row>
        </dl>
      </section>

      <section className="panel">
        <h2>{t('testimony.deployment')}</h2>
        <dl>
          <Row label={t('testimony.start')}>{x.deploymentStart?.slice(0, 7)}</Row>
          <Row label={t('testimony.end')}>{x.deploymentEnd?.slice(0, 7)}</Row>
          <Row label={t('testimony.region')}>{x.region}</Row>
          <Row label={t('testimony.district')}>{x.federalDistrict}</Row>
          <Row label={t('testimony.siteType')}>{en('siteType', x.siteType)}</Row>
          <Row label={t('testimony.visaType')}>{en('visaType', x.visaType)}</Row>
          <Row label={t('testimony.outcome')}>{en('outcome', x.outcome)}</Row>
        </dl>
      </section>

      <section className="panel">
        <h2>{t('testimony.hours')}</h2>
        <dl>
          <Row label={t('testimony.shiftStart')}>{hhmm(x.shiftStart)}</Row>
          <Row label={t('testimony.shiftEnd')}>{hhmm(x.shiftEnd)}</Row>
          <Row label={t('testimony.hoursPerDay')} testId="hours-per-day">
            {derived.hoursPerDay}
          </Row>
          <Row label={t('testimony.daysPerWeek')}>{x.daysPerWeek}</Row>
          <Row label={t('testimony.hoursPerWeek')} testId="hours-per-week">
            {derived.hoursPerWeek}
          </Row>
          <Row label={t('testimony.restDaysPerYear')}>{x.restDaysPerYear}</Row>
        </dl>
      </section>

      <section className="panel">
        <h2>{t('testimony.pay')}</h2>
        <dl>
          <Row label={t('testimony.wagePaid')}>{money(x.wagePaid)}</Row>
          <Row label={t('testimony.loyaltyContribution')}>{money(x.loyaltyContribution)}</Row>
          <Row label={t('testimony.ledgerCredit')}>{money(x.ledgerCredit)}</Row>
          <Row label={t('testimony.receivedInHand')}>{money(x.receivedInHand)}</Row>
          <Row label={t('testimony.ledgerPaid')}>{en('ledgerPaid', x.ledgerPaid)}</Row>
          <Row label={t('testimony.shareWithheld')} testId="share-withheld">
            {derived.shareWithheld == null ? null : `${Math.round(derived.shareWithheld * 100)} %`}
          </Row>
        </dl>
        {derived.payInconsistent && (
          <p className="error" data-testid="pay-inconsistent">
            {t('testimony.payInconsistent')}
          </p>
        )}
      </section>

      <section className="panel">
        <h2>{t('testimony.conditions')}</h2>
        <dl>
          <Row label={t('testimony.housing')}>{en('housing', x.housing)}</Row>
          <Row label={t('testimony.minders')}>{en('tri', x.minders)}</Row>
          <Row label={t('testimony.ideologicalSessions')}>{en('tri', x.ideologicalSessions)}</Row>
          <Row label={t('testimony.phonesForbidden')}>{en('tri', x.phonesForbidden)}</Row>
        </dl>
      </section>

      <section className="panel">
        <h2>{t('testimony.injuries')}</h2>
        {x.injuries.length === 0 ? (
          <p>{t('testimony.noInjuries')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('testimony.injuryKind')}</th>
                <th scope="col">{t('testimony.severity')}</th>
                <th scope="col">{t('testimony.month')}</th>
                <th scope="col">{t('testimony.care')}</th>
                <th scope="col">{t('testimony.keptWorking')}</th>
              </tr>
            </thead>
            <tbody>
              {x.injuries.map((i) => (
                <tr key={i.id}>
                  <td>{i.kind}</td>
                  <td>{en('severity', i.severity)}</td>
                  <td>{i.month?.slice(0, 7) ?? '—'}</td>
                  <td>{en('care', i.care)}</td>
                  <td>{en('tri', i.keptWorking)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel">
        <h2>{t('testimony.indicators')}</h2>
        <dl>
          {Object.entries(x.indicators).map(([key, v]) => (
            <Row key={key} label={t(`enums.indicator.${key}` as never)}>
              {en('tri', v.answer)}
              {v.note ? ` — ${v.note}` : ''}
            </Row>
          ))}
        </dl>
      </section>

      <section className="panel">
        <h2>{t('testimony.narrative')}</h2>
        <p className="narrative" data-testid="narrative">
          {x.narrative ?? '—'}
        </p>
        <h3>{t('testimony.interviewerNotes')}</h3>
        <p className="narrative">{x.interviewerNotes ?? '—'}</p>
      </section>

      <section className="panel">
        <h2>{t('links.title')}</h2>
        {links.length === 0 ? (
          <p>{t('links.none')}</p>
        ) : (
          <ul data-testid="testimony-sources">
            {links.map((l) => (
              <li key={l.id}>
                <Link href={`/sources/${l.sourceId}`}>{l.title}</Link>
                {l.publisher ? ` (${l.publisher})` : ''} — {t(`links.relations.${l.relation}`)}
                {l.note ? `: ${l.note}` : ''}
              </li>
            ))}
          </ul>
        )}
        {choices.length > 0 && (
          <ActionForm action={linkSourceAction} submit={t('links.save')} testId="link-source">
            <input type="hidden" name="testimonyId" value={x.id} />
            <label>
              {t('links.source')}
              <select name="sourceId" required>
                {choices.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.title}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('links.relation')}
              <select name="relation" defaultValue="corroborates">
                {(['corroborates', 'contradicts', 'context'] as const).map((r) => (
                  <option key={r} value={r}>
                    {t(`links.relations.${r}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('links.note')}
              <input name="note" maxLength={2000} />
            </label>
          </ActionForm>
        )}
      </section>

      <section className="panel">
        <h2>{t('testimony.consent')}</h2>
        <dl>
          <Row label={t('testimony.scopes')}>{x.consent?.scopes.map((s) => t(`enums.scope.${s}` as never)).join(', ')}</Row>
          <Row label={t('testimony.method')}>{en('method', x.consent?.method)}</Row>
          <Row label={t('testimony.recordedAt')}>{x.consent?.recordedAt.toISOString().slice(0, 10)}</Row>
        </dl>
        {x.consent?.withdrawnAt ? (
          <p className="error" data-testid="consent-withdrawn">
            {t('testimony.withdrawn', { date: x.consent.withdrawnAt.toISOString().slice(0, 10) })}: {x.consent.withdrawalReason}
          </p>
        ) : (
          <ActionForm action={withdrawAction} submit={t('testimony.withdraw')} danger testId="withdraw-consent">
            <input type="hidden" name="id" value={x.id} />
            <label>
              {t('testimony.withdrawReason')}
              <input name="reason" required maxLength={2000} />
            </label>
          </ActionForm>
        )}
      </section>

      <QuotesSection actor={actor} t={t} testimony={{ id: x.id, orgId: x.orgId, quotable }} quotes={quotes} />

      <section className="panel">
        <h2>{t('testimony.status')}</h2>
        {x.status === 'draft' && (
          <ActionForm action={submitAction} submit={t('testimony.submit')} testId="submit-testimony">
            <input type="hidden" name="id" value={x.id} />
            <input type="hidden" name="version" value={x.version} />
          </ActionForm>
        )}
        {x.status === 'submitted' &&
          (canApprove ? (
            <ActionForm action={approveAction} submit={t('testimony.approve')} testId="approve-testimony">
              <input type="hidden" name="id" value={x.id} />
              <input type="hidden" name="version" value={x.version} />
            </ActionForm>
          ) : (
            <p>{x.enteredBy === actor.userId ? t('testimony.enteredBySelf') : null}</p>
          ))}
      </section>
    </article>
  );
}
