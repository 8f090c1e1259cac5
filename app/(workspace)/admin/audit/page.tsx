import type { Metadata } from 'next';
import { TableWrap } from '@/app/_components/table-wrap';
import Link from 'next/link';
import { z } from 'zod';
import { requirePageAction } from '@/app/_lib/page-actor';
import { listAuditEvents } from '@/lib/audit/read';
import { getT } from '@/lib/i18n';

export const metadata: Metadata = { title: 'Audit log' };

const Query = z.object({
  action: z.string().max(80).optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageAction('audit.read');
  const t = await getT();
  const q = Query.parse(await searchParams);
  const { events, actions, actors } = await listAuditEvents(actor, {
    action: q.action || undefined,
    from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
    to: q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000) : undefined,
    beforeId: q.before,
    limit: 100,
  });
  const last = events.at(-1);
  const olderHref = last
    ? `/admin/audit?${new URLSearchParams({ ...(q.action ? { action: q.action } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}), before: String(last.id) })}`
    : null;
  return (
    <section>
      <h1>{t('admin.audit')}</h1>
      <form method="get" className="filters">
        <label>
          {t('admin.action')}
          <select name="action" defaultValue={q.action ?? ''}>
            <option value="">—</option>
            {actions.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.from')}
          <input type="date" name="from" defaultValue={q.from} />
        </label>
        <label>
          {t('admin.to')}
          <input type="date" name="to" defaultValue={q.to} />
        </label>
        <button type="submit">{t('admin.filter')}</button>
      </form>
      {events.length === 0 ? (
        <p>{t('admin.noEvents')}</p>
      ) : (
        <TableWrap label={t('admin.audit')}>
          <table data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('admin.when')}</th>
                <th scope="col">{t('admin.who')}</th>
                <th scope="col">{t('admin.action')}</th>
                <th scope="col">{t('admin.entity')}</th>
                <th scope="col">{t('admin.details')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{e.id}</td>
                  <td>{e.at.toISOString().replace('T', ' ').slice(0, 19)}</td>
                  <td>{(e.actorId && actors.get(e.actorId)) ?? e.actorRole ?? '—'}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.entity ? `${e.entity} ${e.entityId?.slice(0, 8) ?? ''}` : '—'}</td>
                  <td>
                    <code>{Object.keys(e.details).length ? JSON.stringify(e.details) : ''}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {olderHref && events.length === 100 && <Link href={olderHref}>{t('admin.older')}</Link>}
    </section>
  );
}
