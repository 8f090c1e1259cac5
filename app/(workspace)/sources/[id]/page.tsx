import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { ActionForm } from '@/app/_components/action-form';
import { ExcerptPicker } from '@/app/_components/excerpt-picker';
import { TableWrap } from '@/app/_components/table-wrap';
import { PublicSource } from '@/app/_components/public-source';
import { pageData, requirePageActor } from '@/app/_lib/page-actor';
import { sessionActor } from '@/lib/actor';
import { can } from '@/lib/access';
import { claimsOfSource, listQuestions } from '@/lib/claims';
import { formatValue } from '@/lib/claims/compare';
import { getLocale, getT } from '@/lib/i18n';
import { getSource } from '@/lib/sources';
import { getPublicSource } from '@/lib/sources/public';
import { testimoniesOfSource } from '@/lib/sources/links';
import { createClaimAction, updateSourceAction } from '../actions';
import { GradeFields, MetaFields } from '../_grade-fields';

export const metadata: Metadata = { title: 'Source report' };

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children ?? '—'}</dd>
    </>
  );
}

export default async function SourcePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Signed out: the public view of a public report; an internal one is a 404 like a missing id.
  if (!(await sessionActor())) {
    const source = await pageData(getPublicSource((await params).id));
    return <PublicSource source={source} t={await getT()} locale={await getLocale()} />;
  }
  const actor = await requirePageActor();
  const t = await getT();
  const locale = await getLocale();
  const query = await searchParams;
  const x = await pageData(getSource(actor, (await params).id));
  const staff = can(actor, 'source.read', { orgId: actor.orgId });
  const [claims, questions, linked] = staff
    ? await Promise.all([claimsOfSource(actor, x.id), listQuestions(actor), testimoniesOfSource(actor, x.id)])
    : [[], [], []];
  const mayEdit = x.own && can(actor, 'source.update', { orgId: x.orgId });
  const mayClaim = can(actor, 'claim.create', { orgId: actor.orgId });
  return (
    <article className="record-view">
      <div className="heading-row">
        <h1 data-testid="source-title">{x.title}</h1>
        <span className={`status ${x.unreliable ? 'status-unreliable' : ''}`} data-testid="grade">
          {t('sources.grade')} {x.reliability}
          {x.credibility}
          {x.unreliable ? ` · ${t('sources.unreliable')}` : ''}
        </span>
      </div>
      {query.duplicate && (
        <p className="notice" role="status" data-testid="duplicate-notice">
          {t('sources.duplicate')}
        </p>
      )}
      {query.captured && (
        <p className="notice" role="status" data-testid="captured-notice">
          {t('sources.captured')}
        </p>
      )}
      {!x.own && <p className="muted">{t('sources.otherOrg')}</p>}
      <section className="panel">
        <dl>
          <Row label={t('sources.publisher')}>{x.publisher}</Row>
          <Row label={t('sources.address')}>{x.address ? <a href={x.address} rel="noreferrer noopener">{x.address}</a> : null}</Row>
          <Row label={t('sources.language')} testId="language">
            {x.language}
          </Row>
          <Row label={t('sources.publishedOn')}>{x.publishedOn ?? t('sources.unknownDate')}</Row>
          <Row label={t('sources.capturedAt')}>{x.capturedAt.toISOString().slice(0, 16).replace('T', ' ')}</Row>
          <Row label={t('sources.reliability')}>{t(`grades.reliability.${x.reliability}`)}</Row>
          <Row label={t('sources.credibility')}>{t(`grades.credibility.${x.credibility}`)}</Row>
          <Row label={t('sources.visibility')}>{t(`enums.visibility.${x.visibility}`)}</Row>
          <Row label={t('sources.hash')}>
            <code className="hash">{x.textHash}</code>
          </Row>
        </dl>
      </section>

      <section className="panel">
        <h2>{t('sources.text')}</h2>
        <p className="muted">{t('sources.immutable')}</p>
        <div id="captured-text" className="captured" lang={x.language} data-testid="captured-text" tabIndex={0} role="region" aria-label={t('sources.text')}>
          {x.capturedText}
        </div>
      </section>

      {staff && (
        <section className="panel">
          <h2>{t('claims.onThisSource')}</h2>
          {claims.length === 0 ? (
            <p>—</p>
          ) : (
            <TableWrap label={t('claims.onThisSource')}>
              <table data-testid="source-claims">
                <thead>
                  <tr>
                    <th scope="col">{t('claims.question')}</th>
                    <th scope="col">{t('claims.value')}</th>
                    <th scope="col">{t('claims.period')}</th>
                    <th scope="col">{t('claims.excerpt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {claims.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link href={`/claims?question=${c.questionKey}`}>{c.questionTitle}</Link>
                      </td>
                      <td>
                        {formatValue(c, locale)} {c.unit}
                      </td>
                      <td>{c.periodStart ? `${c.periodStart} – ${c.periodEnd}` : t('claims.noPeriod')}</td>
                      <td>
                        <q>{c.excerpt}</q>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </section>
      )}

      {mayClaim && (
        <section className="panel">
          <h2>{t('claims.record')}</h2>
          <ActionForm action={createClaimAction} submit={t('claims.save')} testId="claim-form">
            <input type="hidden" name="sourceId" value={x.id} />
            <ExcerptPicker textId="captured-text" label={t('claims.excerpt')} hint={t('claims.recordHint')} useSelection={t('claims.useSelection')} empty={t('claims.selectionEmpty')} />
            <label>
              {t('claims.question')}
              <select name="question" defaultValue="">
                <option value="">—</option>
                {questions.map((q) => (
                  <option key={q.id} value={q.key}>
                    {q.title} ({q.key})
                  </option>
                ))}
              </select>
            </label>
            <fieldset>
              <legend>{t('claims.orNewQuestion')}</legend>
              <label>
                {t('claims.questionKey')} <small>{t('claims.questionKeyHint')}</small>
                <input name="newQuestionKey" maxLength={80} />
              </label>
              <label>
                {t('claims.questionTitle')}
                <input name="newQuestionTitle" maxLength={200} />
              </label>
            </fieldset>
            <label>
              {t('claims.valueKind')}
              <select name="valueKind" defaultValue="number">
                {(['number', 'range', 'text'] as const).map((k) => (
                  <option key={k} value={k}>
                    {t(`claims.kinds.${k}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('claims.value')}
              <input name="value" inputMode="decimal" />
            </label>
            <label>
              {t('claims.valueHigh')}
              <input name="valueHigh" inputMode="decimal" />
            </label>
            <label>
              {t('claims.valueText')}
              <input name="valueText" maxLength={500} />
            </label>
            <label>
              {t('claims.unit')} <small>{t('claims.unitHint')}</small>
              <input name="unit" maxLength={60} />
            </label>
            <label>
              {t('claims.period')} <small>{t('claims.periodHint')}</small>
              <input name="period" maxLength={40} />
            </label>
          </ActionForm>
        </section>
      )}

      {staff && (
        <section className="panel">
          <h2>{t('sources.linkedTestimonies')}</h2>
          {linked.length === 0 ? (
            <p>{t('sources.noLinkedTestimonies')}</p>
          ) : (
            <ul data-testid="linked-testimonies">
              {linked.map((l) => (
                <li key={l.id}>
                  <Link href={`/testimonies/${l.testimonyId}`} className="code">
                    {l.subjectCode}
                  </Link>{' '}
                  — {t(`links.relations.${l.relation}`)}
                  {l.note ? `: ${l.note}` : ''}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {mayEdit && (
        <section className="panel">
          <h2>{t('sources.editMeta')}</h2>
          <ActionForm action={updateSourceAction} submit={t('sources.saveMeta')} testId="edit-source">
            <input type="hidden" name="id" value={x.id} />
            <MetaFields t={t} values={x} />
            <GradeFields t={t} reliability={x.reliability} credibility={x.credibility} visibility={x.visibility} />
          </ActionForm>
        </section>
      )}
    </article>
  );
}
