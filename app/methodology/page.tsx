import type { Metadata } from 'next';
import { budgetSettings } from '@/lib/aggregates/budget';
import { minCellSize, protectionInterval, researcherPerturbation } from '@/lib/disclosure/k';
import { TableWrap } from '@/app/_components/table-wrap';
import { getT } from '@/lib/i18n';
import { USD_RATES } from '@/lib/testimonies/domain/pay';

export const metadata: Metadata = { title: 'Methodology' };

// Public: how figures are computed and protected. Server-rendered, no client JavaScript; the rate
// table and k come from the code and the instance's settings, so this page cannot drift from them.
export default async function MethodologyPage() {
  const t = await getT();
  // Each section: an anchor others link to (the "not shown" note under every table links to
  // #suppression), a title and its paragraphs.
  const sections = [
    { id: 'unit', title: 'unitTitle', paragraphs: ['unit'] },
    { id: 'consent', title: 'consentTitle', paragraphs: ['consent'] },
    { id: 'k', title: 'kTitle', paragraphs: ['k'] },
    { id: 'suppression', title: 'suppressionTitle', paragraphs: ['suppression'] },
    { id: 'not-shown', title: 'labelTitle', paragraphs: ['label'] },
    { id: 'statistics', title: 'statisticsTitle', paragraphs: ['statistics'] },
    { id: 'audit', title: 'auditTitle', paragraphs: ['auditIntro', 'auditAtoms', 'auditBounds', 'auditMedians'] },
    { id: 'perturbation', title: 'perturbationTitle', paragraphs: ['perturbationIntro', 'perturbationKeys', 'perturbationRules', 'perturbationBudget'] },
    { id: 'breakdowns', title: 'breakdownsTitle', paragraphs: ['breakdowns'] },
    { id: 'hours', title: 'hoursTitle', paragraphs: ['hours'] },
  ] as const;
  const perturbation = researcherPerturbation();
  const { maxDeviation, variance } = perturbation.parameters;
  const budget = budgetSettings();
  const vars = { public: minCellSize('public'), researcher: minCellSize('researcher'), belowResearcher: minCellSize('researcher') - 1, maxDeviation, variance, budgetTables: budget.tables, budgetDays: budget.windowDays, protection: protectionInterval(minCellSize('public')) };
  const noises = Array.from({ length: 2 * maxDeviation + 1 }, (_, i) => i - maxDeviation);
  const last = perturbation.rows.length - 1;
  const percent = (weight: number) => ((100 * weight) / perturbation.resolution).toFixed(2);
  return (
    <article className="prose">
      <h1>{t('methodology.title')}</h1>
      <p className="lead">{t('methodology.intro')}</p>
      {sections.map(({ id, title, paragraphs }) => (
        <section key={id} id={id} aria-labelledby={`${id}-title`} data-testid={`methodology-${id}`}>
          <h2 id={`${id}-title`}>{t(`methodology.${title}`)}</h2>
          {paragraphs.map((body) => (
            <p key={body}>{t(`methodology.${body}`, vars)}</p>
          ))}
          {id === 'perturbation' && (
            <figure data-testid="methodology-perturbation-table">
              <figcaption id="perturbation-note">{t('methodology.perturbationTableIntro', { ...vars, resolution: perturbation.resolution.toLocaleString('en-GB') })}</figcaption>
            <TableWrap label={t('methodology.perturbationTitle')}>
              <table className="rates perturbation" aria-describedby="perturbation-note">
                <thead>
                  <tr>
                    <th scope="col">{t('methodology.perturbationCount')}</th>
                    {noises.map((n) => (
                      <th key={n} scope="col" className="num">
                        {t('methodology.perturbationNoise')} {n > 0 ? `+${n}` : n}
                      </th>
                    ))}
                    <th scope="col" className="num">
                      {t('methodology.perturbationVariance')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {perturbation.rows.map((row, r) => (
                    <tr key={row.count}>
                      <th scope="row">{r === last ? t('methodology.perturbationCountOrMore', { count: row.count }) : row.count}</th>
                      {noises.map((n) => {
                        const j = row.noise.indexOf(n);
                        return (
                          <td key={n} className="num">
                            {j < 0 ? '·' : percent(row.weights[j]!)}
                          </td>
                        );
                      })}
                      <td className="num">{row.variance.toFixed(2)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            </figure>
          )}
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
