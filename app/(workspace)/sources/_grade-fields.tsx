import { CREDIBILITY, RELIABILITY } from '@/lib/sources/domain/grades';
import type { T } from '@/lib/i18n';

/** The two Admiralty selects with their meanings, and visibility: shared by the capture and edit forms. */
export function GradeFields({ t, reliability = 'F', credibility = '6', visibility = 'internal' }: { t: T; reliability?: string; credibility?: string; visibility?: string }) {
  return (
    <>
      <p className="muted">{t('sources.gradesExplained')}</p>
      <label>
        {t('sources.reliability')}
        <select name="reliability" defaultValue={reliability}>
          {RELIABILITY.map((g) => (
            <option key={g} value={g}>
              {t(`grades.reliability.${g}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('sources.credibility')}
        <select name="credibility" defaultValue={credibility}>
          {CREDIBILITY.map((g) => (
            <option key={g} value={g}>
              {t(`grades.credibility.${g}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('sources.visibility')}
        <select name="visibility" defaultValue={visibility}>
          <option value="internal">{t('enums.visibility.internal')}</option>
          <option value="public">{t('enums.visibility.public')}</option>
        </select>
      </label>
    </>
  );
}

export function MetaFields({ t, values = {} }: { t: T; values?: Partial<Record<'title' | 'publisher' | 'address' | 'language' | 'publishedOn', string | null>> }) {
  return (
    <>
      <label>
        {t('sources.reportTitle')} <small>{t('sources.titleHint')}</small>
        <input name="title" maxLength={300} defaultValue={values.title ?? ''} />
      </label>
      <label>
        {t('sources.publisher')}
        <input name="publisher" maxLength={200} defaultValue={values.publisher ?? ''} />
      </label>
      <label>
        {t('sources.address')}
        <input name="address" type="url" maxLength={2000} defaultValue={values.address ?? ''} />
      </label>
      <label>
        {t('sources.language')} <small>{t('sources.languageHint')}</small>
        <input name="language" maxLength={3} defaultValue={values.language ?? ''} />
      </label>
      <label>
        {t('sources.publishedOn')} <small>{t('sources.publishedHint')}</small>
        <input name="publishedOn" type="date" defaultValue={values.publishedOn ?? ''} />
      </label>
    </>
  );
}
