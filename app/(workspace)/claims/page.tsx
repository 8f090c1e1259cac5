import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/app/_components/action-form';
import { TableWrap } from '@/app/_components/table-wrap';
import { pageData, requirePageAction } from '@/app/_lib/page-actor';
import { can } from '@/lib/access';
import { claimsByQuestion, listQuestions } from '@/lib/claims';
import { formatValue } from '@/lib/claims/compare';
import { QuestionKey } from '@/lib/claims/input';
import { getLocale, getT } from '@/lib/i18n';
import { createQuestionAction } from '../sources/actions';

export const metadata: Metadata = { title: 'Claims' };

export default async function ClaimsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageAction('source.read');
  const t = await getT();
  const locale = await getLocale();
  const raw = (await searchParams).question;
  const question = typeof raw === 'string' && QuestionKey.safeParse(raw).success ? raw : undefined;
  const [groups, questions] = await Promise.all([pageData(claimsByQuestion(actor, { question })), listQuestions(actor)]);
  return (
    <section>
      <h1>{t('claims.title')}</h1>
      <p className="prose">{t('claims.intro')}</p>
      <nav aria-label={t('claims.questions')} className="subnav">
        <ul>
          <li>
            <Link href="/claims" aria-current={!question ? 'page' : undefined}>
              {t('claims.allQuestions')}
            </Link>
          </li>
          {questions.map((q) => (
            <li key={q.id}>
              <Link href={`/claims?question=${q.key}`} aria-current={question === q.key ? 'page' : undefined}>
                {q.title}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {groups.every((g) => g.claims.length === 0) && <p>{t('claims.none')}</p>}
      {groups
        .filter((g) => g.claims.length > 0)
        .map((g) => (
          <section key={g.key} className="panel" data-testid={`question-${g.key}`}>
            <h2>
              {g.title} <small className="code">{g.key}</small>
            </h2>
            <TableWrap label={g.title}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('claims.source')}</th>
                    <th scope="col">{t('claims.value')}</th>
                    <th scope="col">{t('claims.period')}</th>
                    <th scope="col">{t('sources.grade')}</th>
                    <th scope="col">{t('claims.agreement')}</th>
                    <th scope="col">{t('claims.excerpt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {g.claims.map((c) => (
                    <tr key={c.id} data-testid="claim-row" data-agreement={c.agreement}>
                      <td>
                        <Link href={`/sources/${c.sourceId}`}>{c.sourceTitle}</Link>
                        {c.publisher && <div className="muted">{c.publisher}</div>}
                      </td>
                      <td data-testid="claim-value">
                        {formatValue(c, locale)} {c.unit}
                      </td>
                      <td>{c.periodStart ? `${c.periodStart} – ${c.periodEnd}` : t('claims.noPeriod')}</td>
                      <td>
                        {c.reliability}
                        {c.credibility}
                        {c.unreliable && <div className="unreliable-note">{t('sources.unreliable')}</div>}
                      </td>
                      <td className={`mark-${c.agreement}`} data-testid="claim-mark">
                        {t(`claims.marks.${c.agreement}`)}
                      </td>
                      <td lang={c.language}>
                        <q>{c.excerpt}</q>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </section>
        ))}
      {can(actor, 'claim.create', { orgId: actor.orgId }) && (
        <section className="panel">
          <h2>{t('claims.newQuestion')}</h2>
          <ActionForm action={createQuestionAction} submit={t('claims.addQuestion')} testId="new-question">
            <label>
              {t('claims.questionKey')} <small>{t('claims.questionKeyHint')}</small>
              <input name="key" required maxLength={80} />
            </label>
            <label>
              {t('claims.questionTitle')}
              <input name="title" required maxLength={200} />
            </label>
          </ActionForm>
        </section>
      )}
    </section>
  );
}
