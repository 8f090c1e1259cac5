import type { Metadata } from 'next';
import { TableWrap } from '@/app/_components/table-wrap';
import { TokensTable } from '@/app/_components/tokens-table';
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
  return (
    <section>
      <h1>{t('admin.tokens')}</h1>
      {tokens.length === 0 ? (
        <p>{t('account.noTokens')}</p>
      ) : (
        <TableWrap label={t('admin.tokens')}>
          <TokensTable tokens={tokens} t={t} locale={locale} revoke={revokeTokenAction} withOwner />
        </TableWrap>
      )}
    </section>
  );
}
