import type { OutCell } from '@/lib/aggregates';
import type { DimensionId } from '@/lib/aggregates/definitions';
import type { T } from '@/lib/i18n';
import type { SummarySnapshot } from '@/lib/summaries/snapshot';
import { hiddenLabel } from '@/app/_components/aggregate-present';
import { dimensionLabel, measureLabel, valueLabel } from '../../_form/options';

// A plain rendering of a snapshot for the author's preview: every figure as a table, suppressed
// cells as "not shown". Small on purpose: the public renderer will replace it.

type Section = SummarySnapshot['sections'][number];

function CellFigures({ cell, t, k, showValue }: { cell: OutCell | undefined; t: T; k: number; showValue: boolean }) {
  if (!cell || 'suppressed' in cell) {
    return (
      <>
        <td data-suppressed="true">{hiddenLabel(t)}</td>
        {showValue && <td>—</td>}
      </>
    );
  }
  return (
    <>
      <td>{cell.count.toLocaleString()}</td>
      {showValue && <td>{cell.value ?? '—'}</td>}
    </>
  );
}

function SectionTable({ section, index, t }: { section: Section; index: number; t: T }) {
  const a = section.answer;
  const showValue = a.kind !== 'count';
  const rows = [...a.cells, ...a.margins];
  const label = (cell: OutCell, d: string) => (d in cell.by ? valueLabel(t, d as DimensionId, cell.by[d]!) : t('publications.preview.total'));
  const heading = `${measureLabel(t, section.measure)} — ${section.by.map((d) => dimensionLabel(t, d)).join(' × ')}`;
  return (
    <section className="panel" data-testid={`preview-section-${index}`}>
      <h2>{heading}</h2>
      {section.caption && <p>{section.caption}</p>}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={heading}>
        <table>
          <caption className="visually-hidden">{heading}</caption>
          <thead>
            <tr>
              {section.by.map((d) => (
                <th scope="col" key={d}>
                  {dimensionLabel(t, d)}
                </th>
              ))}
              <th scope="col">{t('publications.preview.workers')}</th>
              {showValue && <th scope="col">{`${t('publications.preview.figure')} (${a.unit})`}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((cell, i) => (
              <tr key={i}>
                {section.by.map((d, j) =>
                  j === 0 ? (
                    <th scope="row" key={d}>
                      {label(cell, d)}
                    </th>
                  ) : (
                    <td key={d}>{label(cell, d)}</td>
                  ),
                )}
                <CellFigures cell={cell} t={t} k={a.k} showValue={showValue} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function SnapshotPreview({ snapshot, t }: { snapshot: SummarySnapshot; t: T }) {
  const paragraphs = snapshot.body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const s = snapshot.scope;
  return (
    <article data-testid="summary-preview">
      <h1>{snapshot.title}</h1>
      <p className="muted">
        {t('publications.preview.scope', { from: s.from, to: s.to })} ·{' '}
        {s.districts ? s.districts.map((d) => valueLabel(t, 'federal_district', d)).join(', ') : t('publications.preview.allDistricts')} ·{' '}
        {s.siteTypes ? s.siteTypes.map((d) => valueLabel(t, 'site_type', d)).join(', ') : t('publications.preview.allSiteTypes')}
      </p>
      <div className="prose">
        {paragraphs.map((p, i) => (
          <p key={i}>{p}</p>
        ))}
      </div>
      {snapshot.sections.map((section, i) => (
        <SectionTable key={i} section={section} index={i} t={t} />
      ))}
      {snapshot.quotes.length > 0 && (
        <section>
          <h2>{t('publications.preview.quotes')}</h2>
          {snapshot.quotes.map((q) => (
            <blockquote key={q.id}>{q.text}</blockquote>
          ))}
        </section>
      )}
      {snapshot.claims.length > 0 && (
        <section>
          <h2>{t('publications.preview.claims')}</h2>
          <ul>
            {snapshot.claims.map((c) => (
              <li key={c.id}>
                <strong>{c.question}</strong>: {c.valueKind === 'text' ? c.valueText : c.valueKind === 'range' ? `${c.valueLow}–${c.valueHigh}` : c.valueLow} {c.unit ?? ''} — “{c.excerpt}”
              </li>
            ))}
          </ul>
        </section>
      )}
      {snapshot.sources.length > 0 && (
        <section>
          <h2>{t('publications.preview.sources')}</h2>
          <ul>
            {snapshot.sources.map((src) => (
              <li key={src.id}>
                {src.address ? <a href={src.address}>{src.title}</a> : src.title}
                {src.publisher ? `, ${src.publisher}` : ''}
                {src.publishedOn ? `, ${src.publishedOn}` : ''} ({t('publications.preview.grade', { grade: `${src.reliability}${src.credibility}` })})
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h2>{t('publications.preview.citation')}</h2>
        <p>{snapshot.citation}</p>
      </section>
    </article>
  );
}
