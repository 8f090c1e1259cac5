import type { Metadata } from 'next';
import Link from 'next/link';
import { pageData, requirePageAction } from '@/app/_lib/page-actor';
import { getT } from '@/lib/i18n';
import { createSummaryAction } from '../actions';
import { formContext } from '../_form/load';
import { SummaryForm } from '../_form/summary-form';
import { emptyValues } from '../_form/values';

export const metadata: Metadata = { title: 'New summary' };

export default async function NewSummaryPage() {
  const actor = await requirePageAction('summary.author');
  const t = await getT();
  const ctx = await pageData(formContext(actor));
  return (
    <section>
      <p>
        <Link href="/publications">{t('publications.title')}</Link>
      </p>
      <h1>{t('publications.form.newTitle')}</h1>
      <SummaryForm action={createSummaryAction} initial={emptyValues(ctx.locale)} mode="new" options={ctx.options} choices={ctx.choices} text={ctx.text} />
    </section>
  );
}
