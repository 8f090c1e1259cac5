import type { Metadata } from 'next';
import { ActionForm } from '@/app/_components/action-form';
import { TokensTable } from '@/app/_components/tokens-table';
import { requirePageActor } from '@/app/_lib/page-actor';
import { requiresSecondFactor } from '@/lib/actor';
import { accountStatus, listOwnTokens, pendingTotpEnrolment } from '@/lib/account';
import { getLocale, getT } from '@/lib/i18n';
import {
  changePasswordAction,
  confirmTotp,
  createTokenAction,
  newRecoveryCodes,
  revokeOwnTokenAction,
  signOutEverywhereAction,
  startTotp,
} from './actions';

export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage() {
  const actor = await requirePageActor({ allowSecondFactorPending: true });
  const t = await getT();
  const locale = await getLocale();
  const status = await accountStatus(actor);
  const pending = status.totpEnabled ? null : await pendingTotpEnrolment(actor);
  const required = requiresSecondFactor(actor.role);
  const tokens = status.totpEnabled || !required ? await listOwnTokens(actor) : [];
  return (
    <section>
      <h1>{t('account.title')}</h1>

      <section aria-labelledby="two-factor" className="panel">
        <h2 id="two-factor">{t('account.twoFactor')}</h2>
        {status.totpEnabled ? (
          <>
            <p data-testid="totp-status">{t('account.twoFactorOn')}</p>
            <p>{t('account.recoveryLeft', { n: status.recoveryCodesLeft })}</p>
            <ActionForm action={newRecoveryCodes} submit={t('account.regenerate')} />
          </>
        ) : (
          <>
            <p data-testid="totp-status" className={required ? 'error' : undefined}>
              {required ? t('account.twoFactorRequired') : t('account.twoFactorOff')}
            </p>
            {pending ? (
              <div className="enrol">
                <p>{t('account.scan')}</p>
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src={pending.qr} alt={t('account.qrAlt')} width={200} height={200} />
                <p>
                  {t('account.secretKey')}: <code data-testid="totp-secret">{pending.secret}</code>
                </p>
                <ActionForm action={confirmTotp} submit={t('account.confirm')} testId="totp-confirm" after={{ href: '/workspace', label: t('account.continue') }}>
                  <label>
                    {t('account.confirmCode')}
                    <input name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required />
                  </label>
                </ActionForm>
              </div>
            ) : (
              <form action={startTotp}>
                <button type="submit">{t('account.start')}</button>
              </form>
            )}
          </>
        )}
      </section>

      {(status.totpEnabled || !required) && (
        <section aria-labelledby="tokens" className="panel">
          <h2 id="tokens">{t('account.tokens')}</h2>
          {tokens.length === 0 ? (
            <p>{t('account.noTokens')}</p>
          ) : (
            <TokensTable tokens={tokens} t={t} locale={locale} revoke={revokeOwnTokenAction} />
          )}
          <ActionForm action={createTokenAction} submit={t('account.createToken')} testId="create-token">
            <label>
              {t('account.tokenName')}
              <input name="name" required maxLength={100} />
            </label>
            <label>
              {t('account.tokenDays')}
              <input name="days" type="number" min={1} max={365} defaultValue={90} />
            </label>
          </ActionForm>
        </section>
      )}

      <section aria-labelledby="password" className="panel">
        <h2 id="password">{t('account.password')}</h2>
        <ActionForm action={changePasswordAction} submit={t('account.changePassword')}>
          <input type="email" name="username" autoComplete="username" value={status.email} readOnly hidden />
          <label>
            {t('account.currentPassword')}
            <input name="current" type="password" autoComplete="current-password" required />
          </label>
          <label>
            {t('account.newPassword')}
            <input name="next" type="password" autoComplete="new-password" minLength={12} required />
          </label>
        </ActionForm>
      </section>

      <section aria-labelledby="everywhere" className="panel">
        <h2 id="everywhere">{t('account.everywhere')}</h2>
        <p>{t('account.everywhereHelp')}</p>
        <ActionForm action={signOutEverywhereAction} submit={t('account.everywhere')} testId="sign-out-everywhere" danger />
      </section>
    </section>
  );
}
