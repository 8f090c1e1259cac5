'use server';
import { field, formAction } from '@/app/_lib/form-action';
import { postedFromOurPages } from '@/app/_lib/same-origin';
import {
  beginTotpEnrolment,
  changePassword,
  confirmTotpEnrolment,
  createOwnToken,
  regenerateRecoveryCodes,
  revokeToken,
  signOutEverywhere,
} from '@/lib/account';
import { sessionActor } from '@/lib/actor';
import { Forbidden, problem } from '@/lib/errors';
import { getT } from '@/lib/i18n';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';

const pending = { allowSecondFactorPending: true };

/** Plain form post: stores a new pending secret; the page then shows its QR code. */
export async function startTotp() {
  if (!(await postedFromOurPages())) throw new Forbidden(problem('crossSite'));
  const resolved = await sessionActor();
  if (!resolved) redirect('/sign-in');
  await beginTotpEnrolment(resolved.actor);
  redirect('/account?step=scan#two-factor');
}

export const confirmTotp = formAction(async (actor, form) => {
  // No revalidation here: the form must stay on screen to show the codes; its link reloads the page.
  const { recoveryCodes } = await confirmTotpEnrolment(actor, field(form, 'code') ?? '');
  return { ok: true, message: (await getT())('account.recoveryHelp'), codes: recoveryCodes };
}, pending);

export const newRecoveryCodes = formAction(async (actor) => {
  const { recoveryCodes } = await regenerateRecoveryCodes(actor);
  return { ok: true, message: (await getT())('account.recoveryHelp'), codes: recoveryCodes };
});

export const changePasswordAction = formAction(async (actor, form) => {
  await changePassword(actor, { current: field(form, 'current') ?? '', next: field(form, 'next') ?? '' });
  redirect('/sign-in');
}, pending);

export const signOutEverywhereAction = formAction(async (actor) => {
  await signOutEverywhere(actor);
  redirect('/sign-in');
}, pending);

export const createTokenAction = formAction(async (actor, form) => {
  const { token } = await createOwnToken(actor, { name: field(form, 'name') ?? '', days: field(form, 'days') ?? '90' });
  revalidatePath('/account');
  return { ok: true, message: (await getT())('account.tokenCreated'), secret: token };
});

export const revokeOwnTokenAction = formAction(async (actor, form) => {
  await revokeToken(actor, field(form, 'id') ?? '');
  revalidatePath('/account');
  return { ok: true, message: (await getT())('admin.done') };
});
