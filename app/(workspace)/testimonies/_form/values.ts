import type { z } from 'zod';
import type { TestimonyFields } from '@/lib/testimonies/input';

/** What the form shows: the input shape with every section present. */
export type TestimonyFormValues = z.output<typeof TestimonyFields> & { injuries: NonNullable<z.output<typeof TestimonyFields>['injuries']> };

export const EMPTY: TestimonyFormValues = {
  deployment: {},
  hours: {},
  pay: {},
  conditions: {},
  injuries: [],
  indicators: {},
};
