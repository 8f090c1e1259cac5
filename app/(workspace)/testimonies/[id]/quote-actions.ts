'use server';
import { revalidatePath } from 'next/cache';
import { field, formAction } from '@/app/_lib/form-action';
import { getT } from '@/lib/i18n';
import { approveQuote, proposeQuote, rejectQuote, updateRedaction } from '@/lib/testimonies/quotes';
import type { RedactionFormState } from './redaction-form';

// Server actions are public endpoints: lib/testimonies/quotes.ts checks the actor's role and organisation.
const done = async (testimonyId: string) => {
  revalidatePath(`/testimonies/${testimonyId}`);
  return { ok: true, message: (await getT())('admin.done') };
};

export const proposeQuoteAction = formAction(async (actor, form) => {
  const testimonyId = field(form, 'testimonyId') ?? '';
  await proposeQuote(actor, testimonyId, field(form, 'originalText') ?? '');
  return done(testimonyId);
});

const saveOrApprove = formAction(async (actor, form): Promise<RedactionFormState> => {
  const quoteId = field(form, 'quoteId') ?? '';
  const redactedText = field(form, 'redactedText') ?? '';
  // "Save and approve": the text in the field is the text approved (stored with the approval), never the stored one unseen.
  const saved =
    field(form, 'intent') === 'approve'
      ? await approveQuote(actor, quoteId, { redactedText, expectedText: field(form, 'expectedText') })
      : await updateRedaction(actor, quoteId, redactedText);
  return { ...(await done(field(form, 'testimonyId') ?? '')), redactedText: saved.redactedText };
});

/** The redaction form: save, or save and approve (the button named intent=approve). A refused text is handed back as typed. */
export async function redactionAction(prev: RedactionFormState, form: FormData): Promise<RedactionFormState> {
  const state: RedactionFormState = await saveOrApprove(prev, form);
  return { ...state, redactedText: state.redactedText ?? field(form, 'redactedText'), stamp: crypto.randomUUID() };
}

export const rejectQuoteAction = formAction(async (actor, form) => {
  await rejectQuote(actor, field(form, 'quoteId') ?? '');
  return done(field(form, 'testimonyId') ?? '');
});
