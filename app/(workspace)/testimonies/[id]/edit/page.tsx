import type { Metadata } from 'next';
import { pageData, requirePageAction } from '@/app/_lib/page-actor';
import { getT } from '@/lib/i18n';
import { getTestimony, interviewerChoices, toValues } from '@/lib/testimonies';
import { TestimonyFields as Fields } from '@/lib/testimonies/input';
import { loadFormDraft } from '@/lib/testimonies/drafts';
import { saveDraftAction, updateTestimonyAction } from '../../actions';
import { testimonyFromForm } from '../../_form/form-data';
import { FieldForm } from '../../_form/field-form';
import { TestimonyFields } from '../../_form/testimony-form';
import { valuesFromDraft, type TestimonyFormValues } from '../../_form/values';

export const metadata: Metadata = { title: 'Edit testimony' };

export default async function EditTestimonyPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageAction('testimony.update');
  const t = await getT();
  const testimony = await pageData(getTestimony(actor, (await params).id));
  const draft = await loadFormDraft(actor, `edit:${testimony.id}`);
  const values = draft ? valuesFromDraft(draft.entries, testimonyFromForm) : (Fields.parse(toValues(testimony)) as TestimonyFormValues);
  return (
    <section>
      <h1>
        {t('testimony.edit')} <span className="code">{testimony.subjectCode}</span>
      </h1>
      <FieldForm
        action={updateTestimonyAction}
        submit={t('testimony.save')}
        testId="testimony-form"
        autosave={{
          save: saveDraftAction.bind(null, `edit:${testimony.id}`),
          savedLabel: t('testimony.draftSaved'),
          restoredNote: draft ? t('testimony.draftRestored', { time: draft.savedAt.toISOString().slice(0, 16).replace('T', ' ') }) : undefined,
        }}
      >
        <input type="hidden" name="id" value={testimony.id} />
        <input type="hidden" name="version" value={testimony.version} />
        <TestimonyFields t={t} v={values} isNew={false} interviewers={await interviewerChoices(actor)} />
      </FieldForm>
    </section>
  );
}
