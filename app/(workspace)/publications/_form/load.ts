import 'server-only';
import type { Actor } from '@/lib/access';
import { formatValue } from '@/lib/claims/compare';
import { getLocale, getT } from '@/lib/i18n';
import { en } from '@/lib/i18n/en';
import { ko } from '@/lib/i18n/ko';
import { authoringChoices } from '@/lib/summaries/choices';
import { formOptions } from './options';
import type { Choices } from './summary-form';

/** What the summary form needs besides its values: choices, options and its text, in the reader's language. */
export async function formContext(actor: Actor) {
  const locale = await getLocale();
  const t = await getT();
  const raw = await authoringChoices(actor);
  const choices: Choices = {
    quotes: raw.quotes,
    sources: raw.sources,
    claims: raw.claims.map((c) => ({
      id: c.id,
      sourceTitle: c.sourceTitle,
      question: c.question,
      value: `${formatValue(c, locale)}${c.unit ? ` ${c.unit}` : ''}${c.periodStart ? ` (${c.periodStart}${c.periodEnd && c.periodEnd !== c.periodStart ? ` – ${c.periodEnd}` : ''})` : ''}`,
      excerpt: c.excerpt,
    })),
    summaries: raw.summaries,
  };
  return { choices, options: formOptions(t), text: (locale === 'ko' ? ko : en).publications.form, locale };
}
