import type { Metadata } from 'next';
import { requirePageAction } from '@/app/_lib/page-actor';
import { getT } from '@/lib/i18n';
import { createTestimonyAction } from '../actions';
import { FieldForm } from '../_form/field-form';
import { TestimonyFields } from '../_form/testimony-form';
import { EMPTY } from '../_form/values';

export const metadata: Metadata = { title: 'Record a testimony' };

export default async function NewTestimonyPage() {
  await requirePageAction('testimony.create');
  const t = await getT();
  return (
    <section>
      <h1>{t('testimony.new')}</h1>
      <FieldForm action={createTestimonyAction} submit={t('testimony.create')} testId="testimony-form">
        <TestimonyFields t={t} v={EMPTY} isNew />
      </FieldForm>
    </section>
  );
}
