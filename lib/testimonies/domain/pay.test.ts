import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCIES, KPW_OBSERVED, payBreakdown, payTolerance, PayAmount, RATE_YEARS, toUsd, USD_RATES } from './pay';

// Money as it is written down: whole cents up to ten million (subnormal doubles are not amounts and underflow when scaled).
const amount = fc.integer({ min: 0, max: 1_000_000_000 }).map((cents) => cents / 100);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

describe('payBreakdown', () => {
  it('computes the share taken and credited', () => {
    expect(payBreakdown({ wagePaid: 1000, loyaltyContribution: 700, ledgerCredit: 150, receivedInHand: 150 })).toEqual({
      shareWithheld: 0.85,
      inconsistent: false,
      issues: [],
    });
  });

  it('withholds everything when the whole wage goes to the state and the ledger', () => {
    expect(payBreakdown({ wagePaid: 800, loyaltyContribution: 600, ledgerCredit: 200, receivedInHand: 0 }).shareWithheld).toBe(1);
  });

  it('counts a blank part as nothing taken when the other is known', () => {
    expect(payBreakdown({ wagePaid: 1000, loyaltyContribution: 600, ledgerCredit: null, receivedInHand: null }).shareWithheld).toBe(0.6);
  });

  it('has no share when neither the contribution nor the ledger is known', () => {
    expect(payBreakdown({ wagePaid: 1000, loyaltyContribution: null, ledgerCredit: null, receivedInHand: 100 })).toEqual({
      shareWithheld: null,
      inconsistent: false,
      issues: [],
    });
  });

  it('has no share when the wage is zero or unknown', () => {
    expect(payBreakdown({ wagePaid: 0, loyaltyContribution: 0, ledgerCredit: 0, receivedInHand: 0 }).shareWithheld).toBeNull();
    expect(payBreakdown({ wagePaid: null, loyaltyContribution: null, ledgerCredit: null, receivedInHand: null })).toEqual({
      shareWithheld: null,
      inconsistent: false,
      issues: [],
    });
  });

  it('flags parts given without a wage', () => {
    const result = payBreakdown({ wagePaid: null, loyaltyContribution: 500, ledgerCredit: null, receivedInHand: null });
    expect(result).toEqual({ shareWithheld: null, inconsistent: true, issues: ['parts_without_wage'] });
  });

  it('tolerates parts exceeding the wage by up to 2% or 1 unit', () => {
    expect(payTolerance(1000)).toBe(20);
    expect(payTolerance(10)).toBe(1);
    expect(payBreakdown({ wagePaid: 1000, loyaltyContribution: 700, ledgerCredit: 200, receivedInHand: 120 }).inconsistent).toBe(false);
    expect(payBreakdown({ wagePaid: 1000, loyaltyContribution: 700, ledgerCredit: 200, receivedInHand: 121 }).issues).toEqual(['parts_exceed_wage']);
    expect(payBreakdown({ wagePaid: 10, loyaltyContribution: 5, ledgerCredit: 5, receivedInHand: 1 }).inconsistent).toBe(false);
  });

  it('caps the share at 1 when the withheld part is over the wage within the tolerance', () => {
    expect(payBreakdown({ wagePaid: 1000, loyaltyContribution: 810, ledgerCredit: 200, receivedInHand: null }).shareWithheld).toBe(1);
  });

  it('flags a withheld part over the wage beyond the tolerance', () => {
    const result = payBreakdown({ wagePaid: 500, loyaltyContribution: 400, ledgerCredit: 200, receivedInHand: 0 });
    expect(result).toEqual({ shareWithheld: null, inconsistent: true, issues: ['parts_exceed_wage', 'withheld_exceeds_wage'] });
  });

  it('flags negative amounts', () => {
    expect(payBreakdown({ wagePaid: 500, loyaltyContribution: -1, ledgerCredit: 0, receivedInHand: 0 }).issues).toEqual(['negative_amount']);
  });

  it('keeps the share in [0, 1] whenever the figures are consistent', () => {
    fc.assert(
      fc.property(maybe(amount), maybe(amount), maybe(amount), maybe(amount), (wagePaid, loyaltyContribution, ledgerCredit, receivedInHand) => {
        const { shareWithheld, inconsistent } = payBreakdown({ wagePaid, loyaltyContribution, ledgerCredit, receivedInHand });
        if (inconsistent) return shareWithheld === null;
        return shareWithheld === null || (shareWithheld >= 0 && shareWithheld <= 1);
      }),
    );
  });

  it('flags inconsistency exactly when the parts exceed the wage plus the tolerance', () => {
    fc.assert(
      fc.property(amount, maybe(amount), maybe(amount), maybe(amount), (wagePaid, loyaltyContribution, ledgerCredit, receivedInHand) => {
        const sum = (loyaltyContribution ?? 0) + (ledgerCredit ?? 0) + (receivedInHand ?? 0);
        const { inconsistent } = payBreakdown({ wagePaid, loyaltyContribution, ledgerCredit, receivedInHand });
        return inconsistent === sum > wagePaid + Math.max(0.02 * wagePaid, 1);
      }),
    );
  });

  it('flags inconsistency exactly at the boundary of a consistent split', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 1_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (wagePaid, share) => {
        const loyaltyContribution = Math.floor(wagePaid * share);
        const receivedInHand = wagePaid - loyaltyContribution;
        const tolerance = payTolerance(wagePaid);
        // Whole units keep the sums exact in floating point.
        const at = payBreakdown({ wagePaid, loyaltyContribution, ledgerCredit: 0, receivedInHand: receivedInHand + Math.floor(tolerance) });
        const over = payBreakdown({ wagePaid, loyaltyContribution, ledgerCredit: 0, receivedInHand: receivedInHand + Math.ceil(tolerance) + 1 });
        return !at.inconsistent && over.inconsistent;
      }),
    );
  });

  it('keeps the share when every amount is scaled by the same positive factor', () => {
    const wage = fc.double({ min: 50, max: 1e6, noNaN: true });
    const fraction = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(wage, fraction, fraction, fc.double({ min: 1, max: 1000, noNaN: true }), (wagePaid, a, b, factor) => {
        // Parts drawn as fractions of the wage so the split stays consistent at every scale above 50 units.
        const loyaltyContribution = wagePaid * a * 0.5;
        const ledgerCredit = wagePaid * b * 0.5 * (1 - a);
        const receivedInHand = Math.max(0, wagePaid - loyaltyContribution - ledgerCredit);
        const base = payBreakdown({ wagePaid, loyaltyContribution, ledgerCredit, receivedInHand });
        const scaled = payBreakdown({
          wagePaid: wagePaid * factor,
          loyaltyContribution: loyaltyContribution * factor,
          ledgerCredit: ledgerCredit * factor,
          receivedInHand: receivedInHand * factor,
        });
        expect(base.inconsistent).toBe(false);
        expect(scaled.inconsistent).toBe(false);
        expect(scaled.shareWithheld).toBeCloseTo(base.shareWithheld!, 9);
      }),
    );
  });

  it('keeps the share under any scaling that leaves both sides consistent', () => {
    fc.assert(
      fc.property(amount, maybe(amount), maybe(amount), maybe(amount), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (w, l, c, h, k) => {
        const base = payBreakdown({ wagePaid: w, loyaltyContribution: l, ledgerCredit: c, receivedInHand: h });
        const times = (x: number | null) => (x == null ? null : x * k);
        const scaled = payBreakdown({ wagePaid: w * k, loyaltyContribution: times(l), ledgerCredit: times(c), receivedInHand: times(h) });
        fc.pre(!base.inconsistent && !scaled.inconsistent && base.shareWithheld !== null && scaled.shareWithheld !== null);
        expect(scaled.shareWithheld).toBeCloseTo(base.shareWithheld, 9);
      }),
    );
  });
});

describe('PayAmount', () => {
  it('takes non-negative finite numbers or null', () => {
    for (const ok of [0, 1, 150.5, null]) expect(PayAmount.safeParse(ok).success).toBe(true);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '100']) expect(PayAmount.safeParse(bad).success).toBe(false);
  });
});

describe('toUsd', () => {
  it('has a rate for every currency but OTHER in every year from 2017 to 2026', () => {
    expect(RATE_YEARS).toEqual([2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    for (const year of RATE_YEARS) {
      for (const currency of CURRENCIES) {
        const usd = toUsd(100, currency, year);
        if (currency === 'OTHER') expect(usd).toBeNull();
        else expect(usd).toBeGreaterThan(0);
      }
    }
  });

  it('converts at the yearly rate', () => {
    expect(toUsd(150, 'USD', 2024)).toBe(150);
    expect(toUsd(92_600, 'RUB', 2024)).toBeCloseTo(1000, 6);
    expect(toUsd(USD_RATES[2019].KPW * 150, 'KPW', 2019)).toBeCloseTo(150, 6);
    expect(toUsd(USD_RATES[2023].EUR * 200, 'EUR', 2023)).toBeCloseTo(200, 6);
  });

  it('returns null for a year without a rate or for OTHER', () => {
    expect(toUsd(100, 'RUB', 2016)).toBeNull();
    expect(toUsd(100, 'USD', 2027)).toBeNull();
    expect(toUsd(100, 'OTHER', 2024)).toBeNull();
  });

  it('keeps each KPW figure between the market rates published for its year', () => {
    expect(KPW_OBSERVED.length).toBeGreaterThan(0);
    for (const o of KPW_OBSERVED) {
      const rate = USD_RATES[o.year as keyof typeof USD_RATES].KPW;
      expect(rate, `${o.year}: ${o.source}`).toBeGreaterThanOrEqual(o.low);
      expect(rate, `${o.year}: ${o.source}`).toBeLessThanOrEqual(o.high);
    }
  });

  it('keeps rates in plausible bands, so a slipped digit fails', () => {
    for (const year of RATE_YEARS) {
      const rates = USD_RATES[year as keyof typeof USD_RATES];
      expect(rates.RUB).toBeGreaterThan(50);
      expect(rates.RUB).toBeLessThan(110);
      expect(rates.EUR).toBeGreaterThan(0.8);
      expect(rates.EUR).toBeLessThan(1);
      expect(rates.KPW).toBeGreaterThan(4_000);
      expect(rates.KPW).toBeLessThan(60_000);
    }
  });
});
