'use server';
import { revalidatePath } from 'next/cache';
import { field, formAction } from '@/app/_lib/form-action';
import { getT } from '@/lib/i18n';
import { approveQuote, proposeQuote, rejectQuote, updateRedaction } from '@/lib/testimonies/quotes';

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

export const saveRedactionAction = formAction(async (actor, form) => {
  await updateRedaction(actor, field(form, 'quoteId') ?? '', field(form, 'redactedText') ?? '');
  return done(field(form, 'testimonyId') ?? '');
});

export const approveQuoteAction = formAction(async (actor, form) => {
  // The text the reviewer was shown: a redaction changed since is not approved unseen.
  await approveQuote(actor, field(form, 'quoteId') ?? '', { redactedText: field(form, 'redactedText') ?? '' });
  return done(field(form, 'testimonyId') ?? '');
});

export const rejectQuoteAction = formAction(async (actor, form) => {
  await rejectQuote(actor, field(form, 'quoteId') ?? '');
  return done(field(form, 'testimonyId') ?? '');
});
