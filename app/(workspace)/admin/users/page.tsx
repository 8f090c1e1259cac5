import type { Metadata } from 'next';
import { TableWrap } from '@/app/_components/table-wrap';
import { ActionForm } from '@/app/_components/action-form';
import { requirePageAction } from '@/app/_lib/page-actor';
import { ROLES } from '@/lib/access';
import { getLocale, getT } from '@/lib/i18n';
import { listUsers } from '@/lib/users';
import {
  changeRoleAction,
  createUserAction,
  disableUserAction,
  enableUserAction,
  resetPasswordAction,
  resetSecondFactorAction,
} from '../actions';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const actor = await requirePageAction('user.list');
  const t = await getT();
  const locale = await getLocale();
  const users = await listUsers(actor);
  const when = (d: Date | null) => (d ? d.toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-GB') : t('admin.never'));
  return (
    <section>
      <h1>{t('admin.users')}</h1>
      <TableWrap label={t('admin.users')}>
        <table data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.email')}</th>
              <th scope="col">{t('admin.role')}</th>
              <th scope="col">{t('admin.status')}</th>
              <th scope="col">{t('admin.secondFactor')}</th>
              <th scope="col">{t('admin.lastSignIn')}</th>
              <th scope="col">{t('admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-email={u.email}>
                <td>{u.email}</td>
                <td>{t(`roles.${u.role}`)}</td>
                <td>{u.disabledAt ? t('admin.disabled') : t('admin.active')}</td>
                <td>{u.totpEnabledAt ? t('admin.on') : t('admin.off')}</td>
                <td>{when(u.lastSignInAt)}</td>
                <td>
                  {u.id === actor.userId ? null : (
                    <div className="row-actions">
                      <ActionForm action={changeRoleAction} submit={t('admin.changeRole')} className="inline">
                        <input type="hidden" name="id" value={u.id} />
                        <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                          {t('admin.role')}
                        </label>
                        <select id={`role-${u.id}`} name="role" defaultValue={u.role}>
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {t(`roles.${r}`)}
                            </option>
                          ))}
                        </select>
                      </ActionForm>
                      {u.disabledAt ? (
                        <ActionForm action={enableUserAction} submit={t('admin.enable')} className="inline">
                          <input type="hidden" name="id" value={u.id} />
                        </ActionForm>
                      ) : (
                        <ActionForm action={disableUserAction} submit={t('admin.disable')} className="inline" danger testId="disable-user">
                          <input type="hidden" name="id" value={u.id} />
                        </ActionForm>
                      )}
                      {u.totpEnabledAt && (
                        <ActionForm action={resetSecondFactorAction} submit={t('admin.resetSecondFactor')} className="inline">
                          <input type="hidden" name="id" value={u.id} />
                        </ActionForm>
                      )}
                      <ActionForm action={resetPasswordAction} submit={t('admin.resetPassword')} className="inline">
                        <input type="hidden" name="id" value={u.id} />
                      </ActionForm>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>

      <section aria-labelledby="create-user" className="panel">
        <h2 id="create-user">{t('admin.createUser')}</h2>
        <ActionForm action={createUserAction} submit={t('admin.create')} testId="create-user">
          <label>
            {t('admin.email')}
            <input name="email" type="email" required autoComplete="off" />
          </label>
          <label>
            {t('admin.role')}
            <select name="role" defaultValue="caseworker">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          </label>
        </ActionForm>
      </section>
    </section>
  );
}
