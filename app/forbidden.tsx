import Link from 'next/link';
import { getT } from '@/lib/i18n';

export default async function Forbidden() {
  const t = await getT();
  return (
    <article className="prose" data-testid="forbidden">
      <h1>403</h1>
      <p>{t('app.forbidden')}</p>
      <Link href="/workspace">{t('app.workspace')}</Link>
    </article>
  );
}
