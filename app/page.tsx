import Link from 'next/link';
import { getT } from '@/lib/i18n';

export default async function Home() {
  const t = await getT();
  return (
    <article className="prose">
      <h1>{t('home.title')}</h1>
      <p className="lead">{t('home.intro')}</p>
      <p>{t('home.privacy')}</p>
      <h2>{t('home.staff')}</h2>
      <p>
        <Link href="/sign-in">{t('app.signIn')}</Link>
      </p>
    </article>
  );
}
