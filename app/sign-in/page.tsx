import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { sessionActor } from '@/lib/actor';
import { getT } from '@/lib/i18n';
import { signInAction } from './actions';

export const metadata: Metadata = { title: 'Sign in' };

const Query = z.object({
  error: z.enum(['invalid', 'locked', 'rate_limited']).optional().catch(undefined),
  email: z.string().max(320).optional().catch(undefined),
});

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await sessionActor()) redirect('/workspace');
  const t = await getT();
  const { error, email } = Query.parse(await searchParams);
  const message = error === 'locked' ? t('signIn.locked') : error === 'rate_limited' ? t('signIn.rateLimited') : error ? t('signIn.invalid') : null;
  return (
    <section className="narrow">
      <h1>{t('signIn.title')}</h1>
      {message && (
        <p className="error" role="status" data-testid="sign-in-error">
          {message}
        </p>
      )}
      <form action={signInAction} className="stack">
        <label>
          {t('signIn.email')}
          <input name="email" type="email" autoComplete="username" required defaultValue={email} />
        </label>
        <label>
          {t('signIn.password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <label>
          {t('signIn.code')}
          <input name="code" inputMode="text" autoComplete="one-time-code" aria-describedby="code-hint" />
          <small id="code-hint">{t('signIn.codeHint')}</small>
        </label>
        <div>
          <button type="submit">{t('signIn.submit')}</button>
        </div>
      </form>
    </section>
  );
}
