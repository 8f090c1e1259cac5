'use server';
import { revalidatePath } from 'next/cache';
import { field, formAction } from '@/app/_lib/form-action';
import { revokeToken } from '@/lib/account';
import { extendBudget } from '@/lib/aggregates/budget';
import { getT } from '@/lib/i18n';
import { changeRole, createUser, disableUser, enableUser, resetPassword, resetSecondFactor, RoleInput } from '@/lib/users';

const done = async () => {
  revalidatePath('/admin', 'layout');
  return { ok: true, message: (await getT())('admin.done') };
};

export const createUserAction = formAction(async (actor, form) => {
  const { password } = await createUser(actor, { email: field(form, 'email') ?? '', role: RoleInput.parse(field(form, 'role')) });
  revalidatePath('/admin/users');
  return { ok: true, message: (await getT())('admin.userCreated'), secret: password };
});

export const changeRoleAction = formAction(async (actor, form) => {
  await changeRole(actor, field(form, 'id') ?? '', RoleInput.parse(field(form, 'role')));
  return done();
});

export const disableUserAction = formAction(async (actor, form) => {
  await disableUser(actor, field(form, 'id') ?? '');
  return done();
});

export const enableUserAction = formAction(async (actor, form) => {
  await enableUser(actor, field(form, 'id') ?? '');
  return done();
});

export const resetSecondFactorAction = formAction(async (actor, form) => {
  await resetSecondFactor(actor, field(form, 'id') ?? '');
  return done();
});

export const resetPasswordAction = formAction(async (actor, form) => {
  const { password } = await resetPassword(actor, field(form, 'id') ?? '');
  return { ok: true, message: (await getT())('admin.passwordReset'), secret: password };
});

export const revokeTokenAction = formAction(async (actor, form) => {
  await revokeToken(actor, field(form, 'id') ?? '');
  return done();
});

export const extendBudgetAction = formAction(async (actor, form) => {
  await extendBudget(actor, field(form, 'id') ?? '', Number(field(form, 'tables') ?? ''));
  revalidatePath('/admin/budgets');
  return { ok: true, message: (await getT())('admin.budgetExtended') };
});
