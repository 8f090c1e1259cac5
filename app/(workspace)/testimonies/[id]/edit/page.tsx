import type { Metadata } from 'next';
import { pageData, requirePageAction } from '@/app/_lib/page-actor';
import { getT } from '@/lib/i18n';
import { getTestimony, toValues } from '@/lib/testimonies';
import { TestimonyFields as Fields } from '@/lib/testimonies/input';
import { updateTestimonyAction } from '../../actions';
import { FieldForm } from '../../_form/field-form';
import { TestimonyFields } from '../../_form/testimony-form';
import type { TestimonyFormValues } from '../../_form/values';

export const metadata: Metadata = { title: 'Edit testimony' };

export default async function EditTestimonyPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageAction('testimony.update');
  const t = await getT();
  const testimony = await pageData(getTestimony(actor, (await params).id));
  const values = Fields.parse(toValues(testimony)) as TestimonyFormValues;
  return (
    <section>
      <h1>
        {t('testimony.edit')} <span className="code">{testimony.subjectCode}</span>
      </h1>
      <FieldForm action={updateTestimonyAction} submit={t('testimony.save')} testId="testimony-form">
        <input type="hidden" name="id" value={testimony.id} />
        <input type="hidden" name="version" value={testimony.version} />
        <TestimonyFields t={t} v={values} isNew={false} />
      </FieldForm>
    </section>
  );
}
