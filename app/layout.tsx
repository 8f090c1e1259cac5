import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { can } from '@/lib/access';
import { sessionActor } from '@/lib/actor';
import { getLocale, getT } from '@/lib/i18n';
import { setLocale, signOutAction } from './_lib/session-actions';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Testimony Ledger', template: '%s · Testimony Ledger' },
  description: 'Documentation of forced labour by North Korean workers sent to Russia.',
  referrer: 'same-origin', // see next.config.mjs
  robots: { index: false },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const t = await getT();
  const resolved = await sessionActor();
  const actor = resolved?.actor ?? null;
  return (
    <html lang={locale}>
      <body>
        <a className="skip" href="#main">
          {t('app.skip')}
        </a>
        <header className="site">
          <Link href="/" className="brand">
            {t('app.name')}
          </Link>
          <nav aria-label="Main">
            <ul>
              {actor && (
                <li>
                  <Link href="/workspace">{t('app.workspace')}</Link>
                </li>
              )}
              {actor && can(actor, 'testimony.read', { orgId: actor.orgId }) && (
                <li>
                  <Link href="/testimonies">{t('app.testimonies')}</Link>
                </li>
              )}
              {actor && can(actor, 'aggregate.read') && (
                <li>
                  <Link href="/aggregates">{t('app.aggregates')}</Link>
                </li>
              )}
              {actor && can(actor, 'source.read', { orgId: actor.orgId }) && (
                <>
                  <li>
                    <Link href="/sources">{t('app.sources')}</Link>
                  </li>
                  <li>
                    <Link href="/claims">{t('app.claims')}</Link>
                  </li>
                </>
              )}
              {actor && can(actor, 'summary.read', { orgId: actor.orgId }) && (
                <li>
                  <Link href="/publications">{t('publications.title')}</Link>
                </li>
              )}
              {actor && can(actor, 'user.list', { orgId: actor.orgId }) && (
                <li>
                  <Link href="/admin/users">{t('app.admin')}</Link>
                </li>
              )}
              {actor && (
                <li>
                  <Link href="/account">{t('app.account')}</Link>
                </li>
              )}
            </ul>
          </nav>
          <div className="tools">
            <form action={setLocale} className="inline">
              <label htmlFor="locale-select" className="visually-hidden">
                {t('app.language')}
              </label>
              <select id="locale-select" name="locale" defaultValue={locale}>
                <option value="en" lang="en">English</option>
                <option value="ko" lang="ko">한국어</option>
              </select>
              <button type="submit" className="secondary">
                {t('app.switchLanguage')}
              </button>
            </form>
            {actor ? (
              <form action={signOutAction} className="inline">
                <span className="who" data-testid="signed-in-as">
                  {t('app.signedInAs', { email: actor.email, role: t(`roles.${actor.role}`), org: actor.orgName })}
                </span>
                <button type="submit" className="secondary">
                  {t('app.signOut')}
                </button>
              </form>
            ) : (
              <Link href="/sign-in" className="button">
                {t('app.signIn')}
              </Link>
            )}
          </div>
        </header>
        <main id="main">{children}</main>
        <footer className="site">
          <Link href="/methodology">{t('methodology.title')}</Link>
        </footer>
      </body>
    </html>
  );
}
