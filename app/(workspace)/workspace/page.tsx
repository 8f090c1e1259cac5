import Link from 'next/link';
import { requirePageActor } from '@/app/_lib/page-actor';
import { can } from '@/lib/access';
import { getT } from '@/lib/i18n';

export default async function WorkspacePage() {
  const actor = await requirePageActor();
  const t = await getT();
  return (
    <section>
      <h1>{t('workspace.title')}</h1>
      <p>{t('workspace.welcome')}</p>
      <ul className="cards">
        <li>
          <Link href="/account">{t('app.account')}</Link>
          <p>{t('workspace.accountCard')}</p>
        </li>
        {can(actor, 'aggregate.read') && (
          <li data-testid="card-aggregates">
            <Link href="/aggregates">{t('app.aggregates')}</Link>
            <p>{actor.role === 'researcher' ? t('workspace.aggregatesCardResearcher') : t('workspace.aggregatesCard')}</p>
          </li>
        )}
        {can(actor, 'testimony.read', { orgId: actor.orgId }) && (
          <li data-testid="card-testimonies">
            <Link href="/testimonies">{t('app.testimonies')}</Link>
            <p>{t('workspace.testimoniesCard')}</p>
          </li>
        )}
        {can(actor, 'source.read', { orgId: actor.orgId }) && (
          <>
            <li data-testid="card-sources">
              <Link href="/sources">{t('app.sources')}</Link>
              <p>{t('workspace.sourcesCard')}</p>
            </li>
            <li data-testid="card-claims">
              <Link href="/claims">{t('app.claims')}</Link>
              <p>{t('workspace.claimsCard')}</p>
            </li>
          </>
        )}
        {can(actor, 'summary.read', { orgId: actor.orgId }) && (
          <li data-testid="card-publications">
            <Link href="/publications">{t('publications.title')}</Link>
            <p>{t('publications.card')}</p>
          </li>
        )}
        {can(actor, 'user.list', { orgId: actor.orgId }) && (
          <li data-testid="card-admin">
            <Link href="/admin/users">{t('app.admin')}</Link>
            <p>{t('workspace.adminCard')}</p>
          </li>
        )}
      </ul>
      {actor.role === 'researcher' && <p>{t('workspace.researcherNote')}</p>}
    </section>
  );
}
