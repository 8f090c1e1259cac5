'use server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { field, formAction } from '@/app/_lib/form-action';
import { postedFromOurPages } from '@/app/_lib/same-origin';
import { sessionActor } from '@/lib/actor';
import { getT } from '@/lib/i18n';
import { clearFormDraft, saveFormDraft } from '@/lib/testimonies/drafts';
import { approveTestimony, createTestimony, submitTestimony, updateTestimony, withdrawConsent } from '@/lib/testimonies';
import type { NewTestimonyInput } from '@/lib/testimonies/input';
import { testimonyFromForm } from './_form/form-data';

export const createTestimonyAction = formAction(async (actor, form) => {
  const { id } = await createTestimony(actor, testimonyFromForm(form) as NewTestimonyInput);
  await clearFormDraft(actor, 'new');
  redirect(`/testimonies/${id}`);
});

/** Autosave of the new/edit forms; answers the time saved (or null when the session is gone). */
export async function saveDraftAction(key: string, entries: [string, string][]): Promise<string | null> {
  if (!(await postedFromOurPages())) return null;
  const resolved = await sessionActor();
  if (!resolved || resolved.secondFactorPending) return null;
  const { savedAt } = await saveFormDraft(resolved.actor, key, entries);
  return savedAt.toISOString().slice(11, 19);
}

export const updateTestimonyAction = formAction(async (actor, form) => {
  const id = field(form, 'id') ?? '';
  const version = Number(field(form, 'version'));
  // The form holds the whole record: an emptied field must be cleared, not kept.
  await updateTestimony(actor, id, { ...testimonyFromForm(form), version }, { replaceAll: true });
  await clearFormDraft(actor, `edit:${id}`);
  redirect(`/testimonies/${id}`);
});

const step = (run: typeof submitTestimony) =>
  formAction(async (actor, form) => {
    const id = field(form, 'id') ?? '';
    await run(actor, id, Number(field(form, 'version')));
    revalidatePath(`/testimonies/${id}`);
    return { ok: true, message: (await getT())('admin.done') };
  });

export const submitAction = step(submitTestimony);
export const approveAction = step(approveTestimony);

export const withdrawAction = formAction(async (actor, form) => {
  const id = field(form, 'id') ?? '';
  await withdrawConsent(actor, id, field(form, 'reason') ?? '');
  revalidatePath(`/testimonies/${id}`);
  return { ok: true, message: (await getT())('admin.done') };
});
