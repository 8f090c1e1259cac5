import { z } from 'zod';
import {
  ageBand,
  consentMethod,
  currency,
  housingKind,
  iloIndicator,
  injurySeverity,
  ledgerPaid,
  medicalCare,
  outcome,
  sex,
  siteType,
  tri,
  visaType,
} from '@/db/schema';
import { en } from '../i18n/en';
import { AUDIENCES } from './audience';
import { RegionCode } from './domain/regions';
import { SubjectCode } from './domain/subject-code';

// What a caseworker (or an API client, or a CSV row) may write. Types come from here and the schema.
const e = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values);
// Messages of our own come from the problems catalogue, so a form can word them in Korean (lib/i18n/issues.ts).
const { monthFormat, clockFormat, consentInternal, textUnstorable } = en.problems;
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, monthFormat);
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, clockFormat);
const Amount = z.number().min(0).max(1e9);
// The database stores no NUL character, and a lone UTF-16 surrogate is no character at all: refused
// here with the field's name (lib/errors.ts answers 422 for any that get past a schema).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const storable = (s: string) => !s.includes('\u0000') && !LONE_SURROGATE.test(s);
const Text = (max: number, min?: number) => (min ? z.string().trim().min(min) : z.string().trim()).max(max).refine(storable, textUnstorable);
const Note = Text(2000);
const LongText = z.string().max(100_000).refine(storable, textUnstorable);

export { SubjectCode as SubjectCodeInput } from './domain/subject-code';

export const InjuryInput = z.object({
  kind: Text(60, 1),
  severity: e(injurySeverity.enumValues),
  month: Month.optional(),
  care: e(medicalCare.enumValues),
  keptWorking: e(tri.enumValues).default('unknown'),
});

export const IndicatorInput = z.object({ answer: e(tri.enumValues), note: Note.optional() });

export const ConsentInput = z.object({
  scopes: z.array(z.enum(AUDIENCES)).min(1, consentInternal),
  method: e(consentMethod.enumValues),
  recordedAt: z.iso.datetime({ offset: true }).optional(),
});

export const TestimonyFields = z.object({
  interviewDate: z.iso.date().optional(),
  interviewerId: z.uuid().optional(),
  interviewLanguage: Text(20).optional(),
  ageBand: e(ageBand.enumValues).optional(),
  deployment: z
    .object({
      start: Month.optional(),
      end: Month.optional(),
      region: RegionCode.optional(),
      siteType: e(siteType.enumValues).optional(),
      visaType: e(visaType.enumValues).optional(),
      outcome: e(outcome.enumValues).optional(),
    })
    .default({}),
  hours: z
    .object({
      shiftStart: ClockTime.optional(),
      shiftEnd: ClockTime.optional(),
      daysPerWeek: z.number().min(0).max(7).multipleOf(0.5).optional(),
      restDaysPerYear: z.number().int().min(0).max(366).optional(),
    })
    .default({}),
  pay: z
    .object({
      currency: e(currency.enumValues).optional(),
      wagePaid: Amount.optional(),
      loyaltyContribution: Amount.optional(),
      ledgerCredit: Amount.optional(),
      receivedInHand: Amount.optional(),
      ledgerPaid: e(ledgerPaid.enumValues).optional(),
    })
    .default({}),
  conditions: z
    .object({
      housing: e(housingKind.enumValues).optional(),
      minders: e(tri.enumValues).optional(),
      ideologicalSessions: e(tri.enumValues).optional(),
      phonesForbidden: e(tri.enumValues).optional(),
    })
    .default({}),
  injuries: z.array(InjuryInput).max(50).default([]),
  indicators: z.partialRecord(e(iloIndicator.enumValues), IndicatorInput).default({}),
  narrative: LongText.optional(),
  interviewerNotes: LongText.optional(),
}).meta({ id: 'TestimonyFields' });

export const NewTestimony = TestimonyFields.extend({
  /** An existing subject of the organisation; without it a new subject code is generated. */
  subjectCode: SubjectCode.optional(),
  subject: z.object({ sex: e(sex.enumValues).optional(), homeProvince: Text(40).optional() }).default({}),
  consent: ConsentInput,
})
  .strict()
  .meta({ id: 'NewTestimony' });

export type NewTestimonyInput = z.input<typeof NewTestimony>;
export type TestimonyValues = z.output<typeof TestimonyFields>;
