import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AggregateAnswer } from '@/lib/aggregates';
import { translator } from '@/lib/i18n';
import { AnswerTable, heatLevel, HEAT_LEVELS } from './aggregate-table';

// The CSP allows no inline style (lib/http/csp.ts): a heat table shades its cells by class, never by
// a style attribute, which the browser would refuse.

const cross: AggregateAnswer = {
  measure: 'workers',
  kind: 'count',
  unit: 'workers',
  by: ['year', 'site_type'],
  period: { from: '2023', to: '2024' },
  audience: 'public_aggregate',
  k: 10,
  values: { year: ['2023', '2024'], site_type: ['construction', 'logging'] },
  cells: [
    { by: { year: '2023', site_type: 'construction' }, count: 40, value: null },
    { by: { year: '2023', site_type: 'logging' }, count: 10, value: null },
    { by: { year: '2024', site_type: 'construction' }, count: 20, value: null },
    { by: { year: '2024', site_type: 'logging' }, count: 0, value: null },
  ],
  margins: [
    { by: { year: '2023' }, count: 50, value: null },
    { by: { year: '2024' }, count: 20, value: null },
    { by: { site_type: 'construction' }, count: 60, value: null },
    { by: { site_type: 'logging' }, count: 10, value: null },
    { by: {}, count: 70, value: null },
  ],
};

describe('heat table', () => {
  it('shades cells by class, with no style attribute', () => {
    const html = renderToStaticMarkup(<AnswerTable answer={cross} t={translator('en')} locale="en" title="Workers" heat />);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).toContain(`heat-${HEAT_LEVELS}`); // the largest figure
    expect(html).toContain('heat-0'); // zero
    expect(html.match(/heat-\d+/g)).toHaveLength(4); // the cells, not the margins
  });

  it('levels run from 0 (nothing) to HEAT_LEVELS (the largest figure)', () => {
    expect(heatLevel(0, 40)).toBe(0);
    expect(heatLevel(40, 40)).toBe(HEAT_LEVELS);
    expect(heatLevel(20, 40)).toBe(HEAT_LEVELS / 2);
    expect(heatLevel(5, 0)).toBe(0);
  });
});
