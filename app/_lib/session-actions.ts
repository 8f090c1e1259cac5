'use server';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { signOut } from '@/lib/auth/config';
import { isLocale, LOCALE_COOKIE } from '@/lib/i18n';

export async function setLocale(form: FormData) {
  const locale = form.get('locale');
  if (!isLocale(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: '/', maxAge: 365 * 86_400, sameSite: 'lax', httpOnly: true });
}

export async function signOutAction() {
  await signOut({ redirect: false });
  redirect('/');
}
