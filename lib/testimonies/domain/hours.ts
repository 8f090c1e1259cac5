import { z } from 'zod';
import { en } from '../../i18n/en';

const MINUTES_PER_DAY = 24 * 60;

export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: en.problems.clockRange });
export type ClockTime = z.infer<typeof ClockTime>;

export const DaysPerWeek = z
  .number()
  .min(0)
  .max(7)
  .refine((days) => Number.isInteger(days * 2), { message: en.problems.halfDays });

export const RestDaysPerYear = z.number().int().min(0).max(366);

export function minutesOfDay(time: string): number {
  const { success, data } = ClockTime.safeParse(time);
  if (!success) throw new RangeError(`Not a clock time: ${JSON.stringify(time)}`);
  return Number(data.slice(0, 2)) * 60 + Number(data.slice(3, 5));
}

/** Hours between a shift's start and end; an end at or before the start is on the next day. */
export function shiftHours(start: ClockTime, end: ClockTime): number {
  const minutes = minutesOfDay(end) - minutesOfDay(start);
  // Workers report 06:00 to 02:00 (20 h) and a start equal to the end means a full day without release.
  return (minutes > 0 ? minutes : minutes + MINUTES_PER_DAY) / 60;
}

export function hoursPerWeek(hoursPerDay: number, daysPerWeek: number): number {
  return hoursPerDay * daysPerWeek;
}

export type HoursInput = {
  shiftStart?: ClockTime | null;
  shiftEnd?: ClockTime | null;
  daysPerWeek?: number | null;
};

export type DerivedHours = { hoursPerDay: number | null; hoursPerWeek: number | null };

export function deriveHours({ shiftStart, shiftEnd, daysPerWeek }: HoursInput): DerivedHours {
  if (shiftStart == null || shiftEnd == null) return { hoursPerDay: null, hoursPerWeek: null };
  const perDay = shiftHours(shiftStart, shiftEnd);
  return { hoursPerDay: perDay, hoursPerWeek: daysPerWeek == null ? null : hoursPerWeek(perDay, daysPerWeek) };
}
