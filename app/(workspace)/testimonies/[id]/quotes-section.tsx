import { ActionForm } from '@/app/_components/action-form';
import { can, type Actor } from '@/lib/access';
import type { T } from '@/lib/i18n';
import type { Quote } from '@/lib/testimonies/quotes';
import { proposeQuoteAction, redactionAction, rejectQuoteAction } from './quote-actions';
import { RedactionForm } from './redaction-form';

/** Quotes of one testimony: propose, edit the suggested redaction, save and approve it or reject it (reviewers and admins). */
export function QuotesSection(props: { actor: Actor; t: T; testimony: { id: string; orgId: string; quotable: boolean }; quotes: Quote[] }) {
  const { actor, t, testimony, quotes } = props;
  const resource = { orgId: testimony.orgId };
  // The page already requires testimony.read; the original is still gated here so a later caller cannot leak it.
  const seesOriginal = can(actor, 'testimony.read', resource);
  const mayEdit = can(actor, 'testimony.update', resource);
  const mayApprove = can(actor, 'quote.approve', resource);
  return (
    <section className="panel" data-testid="quotes">
      <h2>{t('quotes.title')}</h2>
      {!testimony.quotable && (
        <p className="muted" data-testid="quotes-not-publishable">
          {t('quotes.notPublishable')}
        </p>
      )}
      {quotes.length === 0 ? (
        <p>{t('quotes.none')}</p>
      ) : (
        <ol className="stack quotes">
          {quotes.map((q) => (
            <li key={q.id} data-testid="quote" data-quote-id={q.id} className="stack">
              <p>
                <span className={`status status-${q.status}`} data-testid="quote-status">
                  {t(`enums.quoteStatus.${q.status}`)}
                </span>
              </p>
              {seesOriginal && (
                <>
                  <h3>{t('quotes.original')}</h3>
                  <blockquote className="narrative" data-testid="quote-original">
                    {q.originalText}
                  </blockquote>
                </>
              )}
              {mayEdit ? (
                <RedactionForm
                  action={redactionAction}
                  testimonyId={testimony.id}
                  quoteId={q.id}
                  stored={q.redactedText}
                  text={{
                    label: t('quotes.redacted'),
                    save: t('quotes.saveRedaction'),
                    // One action: the text in the field is saved with the approval, so what is approved is what is on screen.
                    ...(mayApprove && q.status === 'proposed' ? { approve: t('quotes.approve'), approveHint: t('quotes.approveHint') } : {}),
                  }}
                />
              ) : (
                <blockquote data-testid="quote-redacted">{q.redactedText}</blockquote>
              )}
              {mayApprove ? (
                q.status !== 'rejected' && (
                  <div className="row-actions">
                    <ActionForm action={rejectQuoteAction} submit={t('quotes.reject')} danger testId="reject-quote">
                      <input type="hidden" name="testimonyId" value={testimony.id} />
                      <input type="hidden" name="quoteId" value={q.id} />
                    </ActionForm>
                  </div>
                )
              ) : (
                q.status === 'proposed' && <p className="muted">{t('quotes.reviewerOnly')}</p>
              )}
            </li>
          ))}
        </ol>
      )}
      {mayEdit && (
        <ActionForm action={proposeQuoteAction} submit={t('quotes.propose')} testId="propose-quote">
          <input type="hidden" name="testimonyId" value={testimony.id} />
          <label>
            {t('quotes.excerpt')}
            <textarea name="originalText" rows={4} maxLength={4000} required />
          </label>
          <p className="muted">{t('quotes.proposeHint')}</p>
        </ActionForm>
      )}
    </section>
  );
}
