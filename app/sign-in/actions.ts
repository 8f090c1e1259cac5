'use server';
import { AuthError } from 'next-auth';
import { redirect } from 'next/navigation';
import { postedFromOurPages } from '@/app/_lib/same-origin';
import { signIn } from '@/lib/auth/config';
import { Forbidden, problem } from '@/lib/errors';

const CODES = new Set(['invalid', 'locked', 'rate_limited']);

/** Plain form post: works without JavaScript. Failures come back as ?error=<code>. */
export async function signInAction(form: FormData) {
  // Signing a victim in to the attacker's account from another site (login CSRF) is refused too.
  if (!(await postedFromOurPages())) throw new Forbidden(problem('crossSite'));
  try {
    await signIn('credentials', {
      email: form.get('email') ?? '',
      password: form.get('password') ?? '',
      code: form.get('code') ?? '',
      redirect: false,
    });
  } catch (e) {
    if (e instanceof AuthError) {
      const code = (e as AuthError & { code?: string }).code;
      const email = typeof form.get('email') === 'string' ? String(form.get('email')).slice(0, 320) : '';
      redirect(`/sign-in?error=${CODES.has(code ?? '') ? code : 'invalid'}&email=${encodeURIComponent(email)}`);
    }
    throw e;
  }
  redirect('/workspace');
}
