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

/** A saved draft's fields as form values (not validated: the form shows them back as typed). */
export function valuesFromDraft(entries: [string, string][], fromForm: (form: FormData) => Record<string, unknown>): TestimonyFormValues {
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, value);
  const v = fromForm(form) as Partial<TestimonyFormValues>;
  return { ...EMPTY, ...v, deployment: { ...v.deployment }, hours: { ...v.hours }, pay: { ...v.pay }, conditions: { ...v.conditions }, injuries: v.injuries ?? [], indicators: v.indicators ?? {} };
}
