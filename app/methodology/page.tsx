import type { Metadata } from 'next';
import { minCellSize } from '@/lib/disclosure/k';
import { getT } from '@/lib/i18n';
import { USD_RATES } from '@/lib/testimonies/domain/pay';

export const metadata: Metadata = { title: 'Methodology' };

// Public: how figures are computed and protected. Server-rendered, no client JavaScript; the rate
// table and k come from the code and the instance's settings, so this page cannot drift from them.
export default async function MethodologyPage() {
  const t = await getT();
  const sections = [
    ['unitTitle', 'unit'],
    ['consentTitle', 'consent'],
    ['kTitle', 'k'],
    ['suppressionTitle', 'suppression'],
    ['statisticsTitle', 'statistics'],
    ['breakdownsTitle', 'breakdowns'],
    ['hoursTitle', 'hours'],
  ] as const;
  const vars = { public: minCellSize('public'), researcher: minCellSize('researcher') };
  return (
    <article className="prose">
      <h1>{t('methodology.title')}</h1>
      <p className="lead">{t('methodology.intro')}</p>
      {sections.map(([title, body]) => (
        <section key={title}>
          <h2>{t(`methodology.${title}`)}</h2>
          <p>{t(`methodology.${body}`, vars)}</p>
        </section>
      ))}
      <section>
        <h2 id="currency">{t('methodology.currencyTitle')}</h2>
        <p>{t('methodology.currency')}</p>
        <table className="rates" aria-describedby="rates-note">
          <thead>
            <tr>
              <th scope="col">{t('methodology.year')}</th>
              <th scope="col">RUB</th>
              <th scope="col">EUR</th>
              <th scope="col">KPW</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(USD_RATES).map(([year, r]) => (
              <tr key={year}>
                <th scope="row">{year}</th>
                <td className="num">{r.RUB.toLocaleString('en-GB')}</td>
                <td className="num">{r.EUR.toLocaleString('en-GB')}</td>
                <td className="num">{r.KPW.toLocaleString('en-GB')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p id="rates-note" className="hint">
          {t('methodology.currencyNote')}
        </p>
      </section>
    </article>
  );
}
