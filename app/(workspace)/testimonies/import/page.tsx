import type { Metadata } from 'next';
import { z } from 'zod';
import { pageData, requirePageAction } from '@/app/_lib/page-actor';
import { env } from '@/lib/env';
import { RATE_LIMITS } from '@/lib/http/rate-limit';
import { getLocale, getT, type MessageKey } from '@/lib/i18n';
import { wordIssue } from '@/lib/i18n/issues';
import { CSV_COLUMNS } from '@/lib/testimonies/csv';
import { formatBytes, getImportJob, importMaxBytes } from '@/lib/testimonies/import';
import { ImportForm, type ImportLabels, type ImportOutcome } from './import-form';

export const metadata: Metadata = { title: 'Import testimonies' };

const Query = z.object({
  job: z.uuid().optional().catch(undefined),
  error: z.string().max(40).optional().catch(undefined),
});

export default async function ImportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageAction('testimony.import');
  const t = await getT();
  const locale = await getLocale();
  const q = Query.parse(await searchParams);
  const maxBytes = importMaxBytes();
  const maxLabel = formatBytes(maxBytes);
  const labels: ImportLabels = {
    file: t('imports.file'),
    submit: t('imports.submit'),
    receiving: t('imports.receiving'),
    writing: t('imports.writing'),
    sending: t('imports.sending'),
    done: t('imports.done'),
    problems: t('imports.problems'),
    moreProblems: t('imports.moreProblems'),
    tooLarge: t('imports.tooLarge', { size: maxLabel }),
    uploadFailed: t('imports.uploadFailed'),
  };

  // The result of a form post without JavaScript (or a job's page reloaded).
  let outcome: ImportOutcome | undefined;
  if (q.job) {
    const job = await pageData(getImportJob(actor, q.job));
    if (job.status === 'done') outcome = { ok: true, message: t('imports.done', { count: job.imported ?? 0, subjects: job.subjectsCreated ?? 0 }) };
    else if (job.interrupted) outcome = { ok: false, message: t('imports.interrupted') };
    else if (job.status === 'refused' || job.status === 'failed') {
      const wording = job.messageWording;
      const message = wording ? t(`problems.${wording.key}` as MessageKey, wording.vars) : (job.message ?? t('errors.generic'));
      outcome = { ok: false, message, issues: job.issues.map((i) => ({ path: t('imports.issuePath', { line: i.line, column: i.column }), message: wordIssue(t, locale, i) })) };
    }
    else outcome = { ok: false, message: job.status === 'writing' ? t('imports.writing', { done: job.rowsDone, total: job.rowsTotal ?? '?' }) : t('imports.receiving', { rows: job.rowsDone }) };
  } else if (q.error) {
    const busy = new Map([
      ['rate_limited', t('problems.importsBusyOrg', { limit: env.IMPORT_MAX_PER_ORG })],
      ['unavailable', t('problems.importsBusyServer')],
      ['too_many_requests', t('problems.tooManyRequests', { seconds: RATE_LIMITS.sessionExpensive.windowSeconds })],
    ]);
    const message =
      q.error === 'too_large' ? labels.tooLarge : q.error === 'no_file' ? labels.file : q.error === 'forbidden' ? t('errors.forbidden') : (busy.get(q.error) ?? t('errors.generic'));
    outcome = { ok: false, message };
  }

  return (
    <section className="stack">
      <h1>{t('imports.title')}</h1>
      <p>{t('imports.intro')}</p>
      <p>{t('imports.subjects')}</p>
      <p>
        <a href="/api/v1/testimonies/import/template" download data-testid="template-link">
          {t('imports.template')}
        </a>{' '}
        · {t('imports.limit', { size: maxLabel })}
      </p>
      <ImportForm labels={labels} maxBytes={maxBytes} maxLabel={maxLabel} initial={outcome} />
      <details>
        <summary>{t('imports.columns')}</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('imports.column')}</th>
                <th scope="col">{t('imports.meaning')}</th>
              </tr>
            </thead>
            <tbody>
              {CSV_COLUMNS.map((c) => (
                <tr key={c.name}>
                  <td>
                    <code>{c.name}</code>
                    {c.required && ` (${t('imports.required')})`}
                  </td>
                  <td>{c.help}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
