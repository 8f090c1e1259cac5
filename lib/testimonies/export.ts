import 'server-only';
import { stringify } from 'csv-stringify/sync';
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { consent, indicator, injury, subject, testimony } from '@/db/schema';
import { assertCan, type Actor } from '../access';
import { audit } from '../audit';
import { inOrg } from '../scope';
import { consentNotWithdrawn, scopesOf } from './audience';
import { EXPORT_HEADER, escapeCell, MAX_CSV_INJURIES } from './csv';

const PAGE = 2000;

const month = (d: string | null) => (d ? d.slice(0, 7) : '');
const hhmm = (t: string | null) => (t ? t.slice(0, 5) : '');
const text = (v: unknown) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v));

/** A page of rows as CSV text; every cell escaped against formula injection. */
export const csvOf = (rows: Record<string, unknown>[]) =>
  stringify(
    rows.map((r) => EXPORT_HEADER.map((name) => escapeCell(text(r[name])))),
    { record_delimiter: '\r\n' },
  );

function groupBy<T>(items: T[], key: (item: T) => string) {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/**
 * The organisation's testimonies as CSV, without narrative, notes or home province. The export is
 * audited once (with its row count) before the first row is read; pages follow by id.
 */
export async function exportTestimoniesCsv(actor: Actor): Promise<{ filename: string; rows: number; chunks: AsyncGenerator<string> }> {
  const rows = await inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'testimony.export', { orgId });
    const [{ n }] = (await tx.select({ n: sql<number>`count(*)::int` }).from(testimony).where(and(eq(testimony.orgId, orgId), consentNotWithdrawn(tx)))) as [{ n: number }];
    await audit(tx, actor, { action: 'testimony.export', entity: 'testimony', details: { rows: Number(n), format: 'csv' } });
    return Number(n);
  });
  const filename = `testimonies-${actor.orgSlug}-${new Date().toISOString().slice(0, 10)}.csv`;

  async function* chunks(): AsyncGenerator<string> {
    yield stringify([EXPORT_HEADER], { record_delimiter: '\r\n' });
    let after: string | undefined;
    for (;;) {
      const page = await inOrg(actor, async ({ tx, orgId }) => {
        assertCan(actor, 'testimony.export', { orgId });
        const ts = await tx
          .select({ t: testimony, code: subject.code, c: consent })
          .from(testimony)
          .innerJoin(subject, eq(subject.id, testimony.subjectId))
          .leftJoin(consent, eq(consent.testimonyId, testimony.id))
          .where(and(eq(testimony.orgId, orgId), consentNotWithdrawn(tx), after ? gt(testimony.id, after) : undefined))
          .orderBy(asc(testimony.id))
          .limit(PAGE);
        const ids = ts.map((r) => r.t.id);
        const injuries = ids.length ? await tx.select().from(injury).where(and(eq(injury.orgId, orgId), inArray(injury.testimonyId, ids))).orderBy(asc(injury.month), asc(injury.id)) : [];
        const indicators = ids.length ? await tx.select().from(indicator).where(and(eq(indicator.orgId, orgId), inArray(indicator.testimonyId, ids))) : [];
        return { ts, injuries, indicators };
      });
      if (!page.ts.length) return;
      const injuriesOf = groupBy(page.injuries, (i) => i.testimonyId);
      const indicatorsOf = groupBy(page.indicators, (i) => i.testimonyId);
      const out = page.ts.map(({ t, code, c }) => {
        const row: Record<string, unknown> = {
          testimony_id: t.id,
          status: t.status,
          subject_code: code,
          interview_date: t.interviewDate,
          interview_language: t.interviewLanguage,
          age_band: t.ageBand,
          deployment_start: month(t.deploymentStart),
          deployment_end: month(t.deploymentEnd),
          region: t.region,
          site_type: t.siteType,
          visa_type: t.visaType,
          outcome: t.outcome,
          shift_start: hhmm(t.shiftStart),
          shift_end: hhmm(t.shiftEnd),
          days_per_week: t.daysPerWeek,
          rest_days_per_year: t.restDaysPerYear,
          pay_currency: t.payCurrency,
          wage_paid: t.wagePaid,
          loyalty_contribution: t.loyaltyContribution,
          ledger_credit: t.ledgerCredit,
          received_in_hand: t.receivedInHand,
          ledger_paid: t.ledgerPaid,
          housing: t.housing,
          minders: t.minders,
          ideological_sessions: t.ideologicalSessions,
          phones_forbidden: t.phonesForbidden,
        };
        if (c) {
          row.consent_scopes = scopesOf(c).join(';');
          row.consent_method = c.method;
          row.consent_recorded_at = c.recordedAt;
        }
        for (const i of indicatorsOf.get(t.id) ?? []) row[`ilo_${i.indicator}`] = i.answer;
        const list = injuriesOf.get(t.id) ?? [];
        list.slice(0, MAX_CSV_INJURIES).forEach((i, n) => {
          const p = `injury${n + 1}`;
          Object.assign(row, { [`${p}_kind`]: i.kind, [`${p}_severity`]: i.severity, [`${p}_month`]: month(i.month), [`${p}_care`]: i.care, [`${p}_kept_working`]: i.keptWorking });
        });
        row.injury_count = list.length;
        return row;
      });
      after = page.ts[page.ts.length - 1]!.t.id;
      yield csvOf(out);
      if (page.ts.length < PAGE) return;
    }
  }
  return { filename, rows, chunks: chunks() };
}
