import Link from 'next/link';
import type { ReactNode } from 'react';
import { getT } from '@/lib/i18n';

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const t = await getT();
  return (
    <div>
      <nav aria-label={t('app.admin')} className="subnav">
        <ul>
          <li>
            <Link href="/admin/users">{t('admin.users')}</Link>
          </li>
          <li>
            <Link href="/admin/tokens">{t('admin.tokens')}</Link>
          </li>
          <li>
            <Link href="/admin/audit">{t('admin.audit')}</Link>
          </li>
          <li>
            <Link href="/admin/budgets">{t('admin.budgets')}</Link>
          </li>
        </ul>
      </nav>
      {children}
    </div>
  );
}
