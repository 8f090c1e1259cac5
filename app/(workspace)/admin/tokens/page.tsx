import type { Metadata } from 'next';
import { TableWrap } from '@/app/_components/table-wrap';
import { ActionForm } from '@/app/_components/action-form';
import { requirePageAction } from '@/app/_lib/page-actor';
import { listOrgTokens } from '@/lib/account';
import { getLocale, getT } from '@/lib/i18n';
import { revokeTokenAction } from '../actions';

export const metadata: Metadata = { title: 'API tokens' };

export default async function TokensPage() {
  const actor = await requirePageAction('token.list');
  const t = await getT();
  const locale = await getLocale();
  const tokens = await listOrgTokens(actor);
  const date = (d: Date | null) => (d ? d.toLocaleDateString(locale === 'ko' ? 'ko-KR' : 'en-GB') : '—');
  return (
    <section>
      <h1>{t('admin.tokens')}</h1>
      {tokens.length === 0 ? (
        <p>{t('account.noTokens')}</p>
      ) : (
        <TableWrap label={t('admin.tokens')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.owner')}</th>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">Token</th>
                <th scope="col">{t('admin.created')}</th>
                <th scope="col">{t('admin.expires')}</th>
                <th scope="col">{t('admin.lastUsed')}</th>
                <th scope="col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((tok) => (
                <tr key={tok.id}>
                  <td>{tok.ownerEmail}</td>
                  <td>{tok.name}</td>
                  <td>
                    <code>{tok.hint}</code>
                  </td>
                  <td>{date(tok.createdAt)}</td>
                  <td>{date(tok.expiresAt)}</td>
                  <td>{date(tok.lastUsedAt)}</td>
                  <td>
                    {tok.revokedAt ? (
                      `${t('admin.revoked')} ${date(tok.revokedAt)}`
                    ) : (
                      <ActionForm action={revokeTokenAction} submit={t('account.revoke')} className="inline" danger>
                        <input type="hidden" name="id" value={tok.id} />
                      </ActionForm>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
