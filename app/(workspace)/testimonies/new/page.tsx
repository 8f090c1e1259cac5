import type { Metadata } from 'next';
import { requirePageAction } from '@/app/_lib/page-actor';
import { getT } from '@/lib/i18n';
import { interviewerChoices } from '@/lib/testimonies';
import { loadFormDraft } from '@/lib/testimonies/drafts';
import { createTestimonyAction, saveDraftAction } from '../actions';
import { testimonyFromForm } from '../_form/form-data';
import { FieldForm } from '../_form/field-form';
import { TestimonyFields } from '../_form/testimony-form';
import { EMPTY, valuesFromDraft } from '../_form/values';

export const metadata: Metadata = { title: 'Record a testimony' };

export default async function NewTestimonyPage() {
  const actor = await requirePageAction('testimony.create');
  const t = await getT();
  const draft = await loadFormDraft(actor, 'new');
  const save = saveDraftAction.bind(null, 'new');
  const interviewers = await interviewerChoices(actor);
  // Whoever records it interviewed, unless they say otherwise.
  const values = draft ? valuesFromDraft(draft.entries, testimonyFromForm) : { ...EMPTY, interviewerId: actor.userId };
  return (
    <section>
      <h1>{t('testimony.new')}</h1>
      <FieldForm
        action={createTestimonyAction}
        submit={t('testimony.create')}
        testId="testimony-form"
        autosave={{ save, savedLabel: t('testimony.draftSaved'), restoredNote: draft ? t('testimony.draftRestored', { time: draft.savedAt.toISOString().slice(0, 16).replace('T', ' ') }) : undefined }}
      >
        <TestimonyFields t={t} v={values} isNew interviewers={interviewers} />
      </FieldForm>
    </section>
  );
}
