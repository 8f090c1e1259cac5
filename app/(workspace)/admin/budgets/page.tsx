import type { Metadata } from 'next';
import { ActionForm } from '@/app/_components/action-form';
import { TableWrap } from '@/app/_components/table-wrap';
import { requirePageAction } from '@/app/_lib/page-actor';
import { budgetSettings, researchBudgets } from '@/lib/aggregates/budget';
import { getLocale, getT } from '@/lib/i18n';
import { extendBudgetAction } from '../actions';

export const metadata: Metadata = { title: 'Research budgets' };

// An admin sees how many distinct tables each researcher of the organisation asked in the window,
// and may extend one budget (issue 15). Every extension is audited.
export default async function BudgetsPage() {
  const actor = await requirePageAction('aggregate.budget');
  const t = await getT();
  const locale = await getLocale();
  const rows = await researchBudgets(actor);
  const settings = budgetSettings();
  const when = (d: Date | null) => (d ? d.toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-GB', { timeZone: 'UTC' }) + ' UTC' : '–');
  return (
    <section>
      <h1>{t('admin.budgets')}</h1>
      <p className="lead">{t('admin.budgetsIntro', { tables: settings.tables, days: settings.windowDays })}</p>
      {rows.length === 0 ? (
        <p>{t('admin.budgetNone')}</p>
      ) : (
        <TableWrap label={t('admin.budgets')}>
          <table data-testid="budgets-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.budgetResearcher')}</th>
                <th scope="col">{t('admin.status')}</th>
                <th scope="col" className="num">
                  {t('admin.budgetUsed', { days: settings.windowDays })}
                </th>
                <th scope="col" className="num">
                  {t('admin.budgetAllowance')}
                </th>
                <th scope="col">{t('admin.budgetNextFree')}</th>
                <th scope="col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.userId} data-email={r.email}>
                  <td>{r.email}</td>
                  <td>{r.disabled ? t('admin.disabled') : t('admin.active')}</td>
                  <td className="num">{r.used}</td>
                  <td className="num">{r.allowance}</td>
                  <td>{when(r.oldestLeavesAt)}</td>
                  <td>
                    <ActionForm action={extendBudgetAction} submit={t('admin.budgetExtendSubmit')} className="inline">
                      <input type="hidden" name="id" value={r.userId} />
                      <label htmlFor={`tables-${r.userId}`}>{t('admin.budgetExtend')}</label>{' '}
                      <input id={`tables-${r.userId}`} name="tables" type="number" min={1} max={10000} defaultValue={10} required inputMode="numeric" />
                    </ActionForm>
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
