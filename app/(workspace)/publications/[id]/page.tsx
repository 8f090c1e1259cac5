import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/app/_components/action-form';
import { TableWrap } from '@/app/_components/table-wrap';
import { pageData, requirePageAction } from '@/app/_lib/page-actor';
import { can } from '@/lib/access';
import { getLocale, getT } from '@/lib/i18n';
import { getOrgSummary } from '@/lib/summaries';
import type { SummaryContentInput } from '@/lib/summaries/content';
import { approveAction, newVersionAction, retractAction, returnAction, saveDraftAction, submitAction } from '../actions';
import { formContext } from '../_form/load';
import { SummaryForm } from '../_form/summary-form';
import { valuesFromContent } from '../_form/values';

export const metadata: Metadata = { title: 'Summary' };

export default async function SummaryPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageAction('summary.read');
  const { id } = await params;
  const justPublished = (await searchParams).published;
  const t = await getT();
  const locale = await getLocale();
  const { summary, versions } = await pageData(getOrgSummary(actor, id));
  const open = versions.find((v) => v.status === 'draft' || v.status === 'in_review');
  const published = versions.filter((v) => v.status === 'published');
  const shown = open ?? published.at(-1) ?? versions.at(-1)!;
  const retracted = summary.retractedAt !== null;
  const org = { orgId: actor.orgId };
  const mayEdit = !!open && open.status === 'draft' && can(actor, 'summary.edit', { ...org, authorId: open.authorId });
  const ctx = await pageData(formContext(actor));
  const content = shown.content as unknown as SummaryContentInput;
  const title = String(content.title ?? summary.slug);
  const date = (d: Date | null) => (d ? d.toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC' : '—');
  const statusOf = (s: string, n: number) => (s === 'published' ? t('publications.status.published', { n }) : t(`publications.status.${s as 'draft'}`));
  const currentStatus = retracted ? t('publications.status.retracted') : statusOf(shown.status, shown.number);
  // Said once after approving (the approve action redirects here): only for a version that really is published.
  const publishedNow = !retracted && typeof justPublished === 'string' ? published.find((v) => String(v.number) === justPublished) : undefined;

  return (
    <section>
      <p>
        <Link href="/publications">{t('publications.title')}</Link>
      </p>
      <div className="heading-row">
        <h1>{title}</h1>
        <span className="status" data-testid="summary-status">
          {currentStatus}
        </span>
      </div>
      <p>
        <code>/summaries/{summary.slug}</code> · {t(`publications.languages.${summary.language}`)}
      </p>
      {publishedNow && (
        <p className="notice" role="status" data-testid="published-notice">
          {t('publications.workflow.published', { n: publishedNow.number })} <a href={`/summaries/${summary.slug}`}>{t('publications.workflow.publicPage')}</a>
        </p>
      )}
      {retracted && (
        <p className="error" data-testid="retracted-notice">
          {t('publications.workflow.retractedNotice', { date: date(summary.retractedAt), reason: summary.retractionReason ?? '' })}
        </p>
      )}
      {summary.flaggedAt && !retracted && (
        <p className="error" data-testid="summary-flagged">
          {t('publications.flagged')}
        </p>
      )}

      <div className="panel" data-testid="workflow">
        <h2>{t('publications.workflow.title')}</h2>
        {!retracted && (open || published.length > 0) && (
          <p>
            <Link href={`/publications/${summary.id}/preview`} data-testid="preview-link">
              {t('publications.workflow.preview')}
            </Link>
          </p>
        )}
        {open && open.authorId === actor.userId && open.status === 'in_review' && <p className="muted">{t('publications.workflow.authorNote')}</p>}
        <div className="row-actions">
          {!retracted && open?.status === 'draft' && can(actor, 'summary.edit', { ...org, authorId: open.authorId }) && (
            <ActionForm action={submitAction} submit={t('publications.workflow.submit')} testId="submit-summary">
              <input type="hidden" name="id" value={summary.id} />
            </ActionForm>
          )}
          {!retracted && open?.status === 'in_review' && can(actor, 'summary.author', org) && (
            <ActionForm action={returnAction} submit={t('publications.workflow.returnToDraft')} testId="return-summary">
              <input type="hidden" name="id" value={summary.id} />
            </ActionForm>
          )}
          {!retracted && open?.status === 'in_review' && can(actor, 'summary.approve', { ...org, authorId: open.authorId }) && (
            <ActionForm action={approveAction} submit={t('publications.workflow.approve')} testId="approve-summary">
              <input type="hidden" name="id" value={summary.id} />
            </ActionForm>
          )}
          {!retracted && !open && published.length > 0 && can(actor, 'summary.author', org) && (
            <ActionForm action={newVersionAction} submit={t('publications.workflow.newVersion')} testId="new-version">
              <input type="hidden" name="id" value={summary.id} />
            </ActionForm>
          )}
        </div>
        {!retracted && published.length > 0 && can(actor, 'summary.author', org) && (
          <details>
            <summary>{t('publications.workflow.retract')}</summary>
            <ActionForm action={retractAction} submit={t('publications.workflow.retract')} testId="retract-summary" danger>
              <input type="hidden" name="id" value={summary.id} />
              <label className="field">
                <span>{t('publications.workflow.reason')}</span>
                <textarea name="reason" rows={3} required maxLength={2000} />
              </label>
            </ActionForm>
          </details>
        )}
      </div>

      <h2>{t('publications.versions.title')}</h2>
      <TableWrap label={t('publications.versions.title')}>
        <table data-testid="versions-table">
          <thead>
            <tr>
              <th scope="col">{t('publications.versions.number')}</th>
              <th scope="col">{t('publications.versions.status')}</th>
              <th scope="col">{t('publications.versions.publishedAt')}</th>
              <th scope="col">{t('publications.versions.sha')}</th>
              <th scope="col">{t('publications.versions.k')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id} data-testid={`version-${v.number}`}>
                <td>v{v.number}</td>
                <td>{statusOf(v.status, v.number)}</td>
                <td>{date(v.publishedAt)}</td>
                <td>{v.snapshotSha256 ? <code title={v.snapshotSha256}>{v.snapshotSha256.slice(0, 12)}</code> : '—'}</td>
                <td>{v.k ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>

      <h2>{mayEdit ? t('publications.form.editTitle') : t('publications.form.content')}</h2>
      {!mayEdit && (
        <p className="muted" data-testid="read-only-note">
          {!open ? t('publications.form.noDraft') : open.status === 'in_review' ? t('publications.form.inReview') : t('publications.form.readOnly')}
        </p>
      )}
      <SummaryForm
        action={saveDraftAction}
        initial={valuesFromContent(content, { slug: summary.slug, language: summary.language, translationOf: '' })}
        mode="edit"
        id={summary.id}
        revision={mayEdit ? open!.revision : undefined}
        readOnly={!mayEdit}
        options={ctx.options}
        choices={ctx.choices}
        text={ctx.text}
      />
    </section>
  );
}
