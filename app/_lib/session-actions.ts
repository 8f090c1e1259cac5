'use server';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { endCurrentSession } from '@/lib/actor';
import { signOut } from '@/lib/auth/config';
import { isLocale, LOCALE_COOKIE } from '@/lib/i18n';
import { postedFromOurPages } from './same-origin';

export async function setLocale(form: FormData) {
  const locale = form.get('locale');
  if (!isLocale(locale) || !(await postedFromOurPages())) return;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: '/', maxAge: 365 * 86_400, sameSite: 'lax', httpOnly: true });
}

export async function signOutAction() {
  if (!(await postedFromOurPages())) return;
  await endCurrentSession(); // a copy of the cookie, or one re-issued by a request in flight, stops working too
  await signOut({ redirect: false });
  redirect('/');
}
