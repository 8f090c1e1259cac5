import Link from 'next/link';
import { getT } from '@/lib/i18n';

export default async function NotFound() {
  const t = await getT();
  return (
    <article className="prose">
      <h1>404</h1>
      <p>{t('app.notFound')}</p>
      <Link href="/">{t('app.backHome')}</Link>
    </article>
  );
}
