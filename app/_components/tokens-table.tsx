import { ActionForm } from '@/app/_components/action-form';
import type { FormState } from '@/app/_lib/form-action';
import type { T } from '@/lib/i18n';

interface TokenRow {
  id: string;
  name: string;
  hint: string;
  ownerEmail: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** API tokens, on the account page (one's own) and the admin page (the organisation's, with owners). */
export function TokensTable(props: {
  tokens: TokenRow[];
  t: T;
  locale: string;
  revoke: (prev: FormState, form: FormData) => Promise<FormState>;
  withOwner?: boolean;
}) {
  const { t, tokens } = props;
  const date = (d: Date | null) => (d ? d.toLocaleDateString(props.locale === 'ko' ? 'ko-KR' : 'en-GB') : '—');
  return (
    <table>
      <thead>
        <tr>
          {props.withOwner && <th scope="col">{t('admin.owner')}</th>}
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
            {props.withOwner && <td>{tok.ownerEmail}</td>}
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
                <ActionForm action={props.revoke} submit={t('account.revoke')} className="inline" danger>
                  <input type="hidden" name="id" value={tok.id} />
                </ActionForm>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
