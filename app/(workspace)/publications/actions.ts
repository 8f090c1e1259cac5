'use server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { field, formAction, type FormState } from '@/app/_lib/form-action';
import { minCellSize } from '@/lib/disclosure/k';
import { Conflict } from '@/lib/errors';
import { getLocale, getT } from '@/lib/i18n';
import { en } from '@/lib/i18n/en';
import { ko } from '@/lib/i18n/ko';
import { findingText } from '@/lib/summaries/refusal';
import { approveSummary, createSummary, DifferencingRefused, PublicationRefused, retractSummary, returnToDraft, startNewVersion, submitSummary, updateDraft } from '@/lib/summaries';
import type { SummaryFormState } from './_form/summary-form';
import { contentOf, EMPTY_SECTION, fieldOfPath, MAX_SECTIONS, newSummaryOf, valuesFromForm, type SummaryFormValues } from './_form/values';

// Server actions of the publications pages. lib/summaries decides who may do what; these parse the
// form, call it, and hand back what the form shows.

const stamp = () => crypto.randomUUID();

/** Add or remove a section row: only the values change, nothing is saved. */
function rearranged(intent: string, values: SummaryFormValues): SummaryFormValues | null {
  if (intent === 'add') return { ...values, sections: values.sections.length < MAX_SECTIONS ? [...values.sections, { ...EMPTY_SECTION }] : values.sections };
  const remove = /^remove:(\d{1,2})$/.exec(intent);
  if (remove) return { ...values, sections: values.sections.filter((_, i) => i !== Number(remove[1])) };
  return null;
}

/** The form's action: field errors under the form's own names, and always the values as typed. */
function summaryFormAction(work: (actor: Parameters<Parameters<typeof formAction>[0]>[0], values: SummaryFormValues, form: FormData) => Promise<SummaryFormState>) {
  const inner = formAction(async (actor, form) => {
    const values = valuesFromForm(form);
    const moved = rearranged(field(form, 'intent') ?? 'save', values);
    if (moved) return { values: moved } as SummaryFormState;
    return work(actor, values, form);
  });
  return async (prev: SummaryFormState, form: FormData): Promise<SummaryFormState> => {
    const state: SummaryFormState = await inner(prev, form);
    const fieldErrors = state.fieldErrors ? Object.fromEntries(Object.entries(state.fieldErrors).map(([path, message]) => [fieldOfPath(path), message])) : undefined;
    return { ...state, fieldErrors, values: state.values ?? valuesFromForm(form), revision: state.revision ?? prev.revision, stamp: stamp() };
  };
}

export const createSummaryAction = summaryFormAction(async (actor, values) => {
  const { id } = await createSummary(actor, newSummaryOf(values));
  revalidatePath('/publications');
  redirect(`/publications/${id}`);
});

export const saveDraftAction = summaryFormAction(async (actor, values, form) => {
  const t = await getT();
  const id = field(form, 'id') ?? '';
  try {
    const { revision } = await updateDraft(actor, id, { content: contentOf(values), revision: Number(field(form, 'revision')) });
    revalidatePath(`/publications/${id}`);
    return { ok: true, message: t('publications.form.saved'), values, revision };
  } catch (e) {
    // A stale revision: say so in the reader's language and keep what they typed.
    if (e instanceof Conflict && e.problem?.key === 'summaryDraftChanged') return { ok: false, message: t('publications.form.stale'), values };
    throw e;
  }
});


const step = (run: (actor: Parameters<Parameters<typeof formAction>[0]>[0], id: string, form: FormData) => Promise<string>) =>
  formAction(async (actor, form) => {
    const id = field(form, 'id') ?? '';
    const message = await run(actor, id, form);
    revalidatePath(`/publications/${id}`);
    revalidatePath('/publications');
    return { ok: true, message };
  });

export const submitAction = step(async (actor, id) => {
  await submitSummary(actor, id);
  return (await getT())('publications.workflow.submitted');
});

export const returnAction = step(async (actor, id) => {
  await returnToDraft(actor, id);
  return (await getT())('publications.workflow.returned');
});

export const newVersionAction = step(async (actor, id) => {
  const { number } = await startNewVersion(actor, id);
  return (await getT())('publications.workflow.started', { n: number });
});

export const retractAction = step(async (actor, id, form) => {
  await retractSummary(actor, id, field(form, 'reason') ?? '');
  return (await getT())('publications.workflow.retracted');
});

const approve = formAction(async (actor, form) => {
  const t = await getT();
  const id = field(form, 'id') ?? '';
  let version: number;
  try {
    ({ version } = await approveSummary(actor, id));
  } catch (e) {
    if (e instanceof PublicationRefused) {
      const messages = (await getLocale()) === 'ko' ? ko : en;
      return { ok: false, message: t('publications.audit.refused', { k: e.k }), cells: e.findings.map((f) => findingText(messages, f, e.k)) };
    }
    if (!(e instanceof DifferencingRefused)) throw e;
    const cells = e.findings.map((f) => t('publications.workflow.refusedCell', { cell: f.cell, published: f.published, difference: f.difference }));
    return { ok: false, message: t('publications.workflow.refused', { k: minCellSize('public') }), cells };
  }
  revalidatePath(`/publications/${id}`);
  revalidatePath('/publications');
  // The approve form leaves the page with the version it approved: the page itself says it is published, with the public link.
  redirect(`/publications/${id}?published=${version}`);
});
export const approveAction = async (prev: FormState, form: FormData): Promise<FormState> => approve(prev, form);
