import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClockTime, DaysPerWeek, deriveHours, hoursPerWeek, minutesOfDay, RestDaysPerYear, shiftHours } from './hours';

const pad = (n: number) => String(n).padStart(2, '0');
const timeOf = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
const minuteOfDay = fc.integer({ min: 0, max: 24 * 60 - 1 });
const clockTime = minuteOfDay.map(timeOf);
const halfDays = fc.integer({ min: 0, max: 14 }).map((h) => h / 2);

describe('shiftHours', () => {
  it.each([
    ['06:00', '02:00', 20],
    ['08:00', '08:00', 24],
    ['22:00', '06:00', 8],
    ['08:00', '17:00', 9],
    ['07:30', '19:00', 11.5],
    ['00:00', '23:59', 23 + 59 / 60],
    ['23:59', '00:00', 1 / 60],
  ] as const)('%s to %s is %d hours', (start, end, hours) => {
    expect(shiftHours(start, end)).toBeCloseTo(hours, 10);
  });

  it('rejects a malformed time', () => {
    expect(() => shiftHours('24:00', '06:00')).toThrow(RangeError);
    expect(() => shiftHours('6:00', '06:00')).toThrow(RangeError);
  });

  it('always lies in (0, 24]', () => {
    fc.assert(
      fc.property(clockTime, clockTime, (start, end) => {
        const hours = shiftHours(start, end);
        return hours > 0 && hours <= 24;
      }),
    );
  });

  it('is 24 when the shift ends when it starts', () => {
    fc.assert(fc.property(clockTime, (time) => shiftHours(time, time) === 24));
  });

  it('keeps its length when both times move by the same offset across midnight', () => {
    fc.assert(
      fc.property(minuteOfDay, minuteOfDay, minuteOfDay, (start, end, offset) => {
        const moved = (m: number) => timeOf((m + offset) % (24 * 60));
        expect(shiftHours(moved(start), moved(end))).toBeCloseTo(shiftHours(timeOf(start), timeOf(end)), 10);
      }),
    );
  });

  it('adds up with the rest of the day to 24 hours', () => {
    fc.assert(
      fc.property(clockTime, clockTime, (start, end) => {
        fc.pre(start !== end);
        expect(shiftHours(start, end) + shiftHours(end, start)).toBeCloseTo(24, 10);
      }),
    );
  });
});

describe('hoursPerWeek and deriveHours', () => {
  it('weekly hours are daily hours times days', () => {
    fc.assert(
      fc.property(clockTime, clockTime, halfDays, (shiftStart, shiftEnd, daysPerWeek) => {
        const derived = deriveHours({ shiftStart, shiftEnd, daysPerWeek });
        expect(derived.hoursPerDay).toBe(shiftHours(shiftStart, shiftEnd));
        expect(derived.hoursPerWeek).toBe(shiftHours(shiftStart, shiftEnd) * daysPerWeek);
        expect(hoursPerWeek(derived.hoursPerDay!, daysPerWeek)).toBe(derived.hoursPerWeek);
      }),
    );
  });

  it('derives 140 hours a week from a 06:00 to 02:00 shift seven days a week', () => {
    expect(deriveHours({ shiftStart: '06:00', shiftEnd: '02:00', daysPerWeek: 7 })).toEqual({ hoursPerDay: 20, hoursPerWeek: 140 });
  });

  it('gives nulls for what it cannot derive', () => {
    expect(deriveHours({})).toEqual({ hoursPerDay: null, hoursPerWeek: null });
    expect(deriveHours({ shiftStart: '06:00', shiftEnd: null, daysPerWeek: 6 })).toEqual({ hoursPerDay: null, hoursPerWeek: null });
    expect(deriveHours({ shiftStart: '06:00', shiftEnd: '18:00' })).toEqual({ hoursPerDay: 12, hoursPerWeek: null });
    expect(deriveHours({ shiftStart: '06:00', shiftEnd: '18:00', daysPerWeek: 0 })).toEqual({ hoursPerDay: 12, hoursPerWeek: 0 });
  });
});

describe('schemas', () => {
  it('ClockTime accepts every minute of the day and nothing else', () => {
    fc.assert(fc.property(minuteOfDay, (m) => minutesOfDay(ClockTime.parse(timeOf(m))) === m));
    for (const bad of ['24:00', '12:60', '7:00', '07:0', '07-00', ' 07:00', '07:00 ', '']) {
      expect(ClockTime.safeParse(bad).success).toBe(false);
    }
  });

  it('DaysPerWeek takes 0 to 7 in half days', () => {
    for (const ok of [0, 0.5, 5, 5.5, 6, 7]) expect(DaysPerWeek.safeParse(ok).success).toBe(true);
    for (const bad of [-0.5, 7.5, 5.25, Number.NaN, Number.POSITIVE_INFINITY]) expect(DaysPerWeek.safeParse(bad).success).toBe(false);
  });

  it('RestDaysPerYear takes whole days from 0 to 366', () => {
    for (const ok of [0, 2, 52, 366]) expect(RestDaysPerYear.safeParse(ok).success).toBe(true);
    for (const bad of [-1, 367, 1.5]) expect(RestDaysPerYear.safeParse(bad).success).toBe(false);
  });
});
