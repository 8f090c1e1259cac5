import { AUDIENCES } from '@/lib/testimonies/audience';

// Field names are paths ("hours.shiftStart", "injuries.0.kind", "indicators.deception.answer").
const NUMBERS = new Set([
  'hours.daysPerWeek',
  'hours.restDaysPerYear',
  'pay.wagePaid',
  'pay.loyaltyContribution',
  'pay.ledgerCredit',
  'pay.receivedInHand',
]);

function setPath(target: Record<string, unknown>, path: string[], value: unknown) {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path.at(-1)!] = value;
}

/** A submitted testimony form → the shape lib/testimonies/input.ts validates. Empty fields are absent. */
export function testimonyFromForm(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of form.entries()) {
    if (typeof raw !== 'string' || name.startsWith('$') || name === 'id' || name === 'version' || name === 'consent.scopes') continue;
    const value = raw.trim();
    if (value === '') continue;
    const number = NUMBERS.has(name) ? Number(value.replace(',', '.')) : undefined;
    setPath(out, name.split('.'), number === undefined ? (name === 'narrative' || name === 'interviewerNotes' ? raw : value) : Number.isNaN(number) ? value : number);
  }
  // Injury rows: keep the filled ones, in order.
  if (out.injuries && typeof out.injuries === 'object') {
    out.injuries = Object.values(out.injuries as Record<string, Record<string, unknown>>).filter((i) => i.kind);
  }
  // An indicator without an answer is not recorded.
  if (out.indicators && typeof out.indicators === 'object') {
    out.indicators = Object.fromEntries(Object.entries(out.indicators as Record<string, { answer?: string }>).filter(([, v]) => v.answer));
  }
  const scopes = form.getAll('consent.scopes').filter((s): s is (typeof AUDIENCES)[number] => AUDIENCES.includes(s as never));
  if (form.has('consent.method')) out.consent = { ...(out.consent as object), scopes: ['internal', ...scopes.filter((s) => s !== 'internal')] };
  return out;
}
