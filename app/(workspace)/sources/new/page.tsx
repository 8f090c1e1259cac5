import type { Metadata } from 'next';
import { ActionForm } from '@/app/_components/action-form';
import { requirePageAction } from '@/app/_lib/page-actor';
import { getT } from '@/lib/i18n';
import { captureSourceAction } from '../actions';
import { GradeFields, MetaFields } from '../_grade-fields';

export const metadata: Metadata = { title: 'Capture a source report' };

export default async function NewSourcePage() {
  await requirePageAction('source.create');
  const t = await getT();
  return (
    <section>
      <h1>{t('sources.capture')}</h1>
      <p className="prose">{t('sources.captureIntro')}</p>
      <ActionForm action={captureSourceAction} submit={t('sources.save')} testId="capture-source" className="stack wide">
        <MetaFields t={t} />
        <label>
          {t('sources.text')} <small>{t('sources.textHint')}</small>
          <textarea name="text" rows={14} maxLength={500_000} />
        </label>
        <label>
          {t('sources.file')}
          <input type="file" name="file" accept=".txt,.md,.html,.htm,text/plain,text/markdown,text/html" />
        </label>
        <GradeFields t={t} />
      </ActionForm>
    </section>
  );
}
