import 'server-only';
import { headers } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import type { Actor } from '@/lib/access';
import { sessionActor } from '@/lib/actor';
import { AppError, isDatabaseUnavailable, isDiskFull, isUnstorableText } from '@/lib/errors';
import { requestIdFrom } from '@/lib/http/request-id';
import { describeError, log } from '@/lib/log';
import { getLocale, getT, problemText } from '@/lib/i18n';
import { wordIssue, wordingOf, wordMessage } from '@/lib/i18n/issues';
import { postedFromOurPages } from './same-origin';

/** What a form action hands back to its form: a message, a secret shown once, field errors. */
export interface FormState {
  ok?: boolean;
  message?: string;
  secret?: string;
  codes?: string[];
  fieldErrors?: Record<string, string>;
  /** The cells a refused publication would reveal, one line each. */
  cells?: string[];
}

/**
 * Every server action is a public POST endpoint: this refuses a post from another site (or one
 * that cannot show where it came from), resolves the actor (refusing a stale or missing session),
 * then maps errors to a form state. lib/ functions do the authorization.
 */
export function formAction(
  work: (actor: Actor, form: FormData) => Promise<FormState>,
  opts: { allowSecondFactorPending?: boolean } = {},
) {
  return async (_prev: FormState, form: FormData): Promise<FormState> => {
    const t = await getT();
    if (!(await postedFromOurPages())) return { ok: false, message: t('problems.crossSite') };
    const resolved = await sessionActor();
    if (!resolved) return { ok: false, message: t('signIn.expired') };
    if (resolved.secondFactorPending && !opts.allowSecondFactorPending) {
      return { ok: false, message: t('problems.totpNotSet') };
    }
    try {
      return await work(resolved.actor, form);
    } catch (e) {
      unstable_rethrow(e); // redirect() and notFound() are errors Next must see
      if (e instanceof z.ZodError) {
        const locale = await getLocale();
        // In the reader's language: zod's own wording for its checks, the catalogue for ours.
        const fieldErrors = Object.fromEntries(e.issues.map((i) => [i.path.map(String).join('.') || 'form', wordIssue(t, locale, { message: i.message, ...wordingOf(i) })]));
        return { ok: false, message: t('errors.invalid'), fieldErrors };
      }
      if (e instanceof AppError) {
        // Issues raised with a catalogue problem's text are worded again in the reader's language.
        const locale = e.issues ? await getLocale() : 'en';
        const fieldErrors = e.issues ? Object.fromEntries(e.issues.map((i) => [i.path, wordMessage(t, locale, i.message)])) : undefined;
        return { ok: false, message: problemText(t, e), fieldErrors };
      }
      // Text the database refuses, or the database full or away, is no bug of the form: say so
      // (nothing was saved: one transaction).
      if (isUnstorableText(e)) return { ok: false, message: t('problems.textUnstorable') };
      if (isDiskFull(e)) return { ok: false, message: t('problems.storageFull') };
      if (isDatabaseUnavailable(e)) return { ok: false, message: t('problems.databaseUnavailable') };
      log.error('unexpected error in a server action', { err: describeError(e), requestId: requestIdFrom(await headers()) });
      return { ok: false, message: t('errors.generic') };
    }
  };
}

export const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : undefined;
};
