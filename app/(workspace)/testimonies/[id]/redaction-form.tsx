'use client';
import { startTransition, useActionState, type FormEvent } from 'react';
import type { FormState } from '@/app/_lib/form-action';

/** What the redaction form's action answers: the usual form state and the text to show again. */
export interface RedactionFormState extends FormState {
  /** The text to show: as stored after a save, as submitted when the action refused it (nothing typed is lost). */
  redactedText?: string;
  /** Changes on every answer, so the field starts again from the text above or the stored one. */
  stamp?: string;
}

/**
 * One quote's redaction: "Save", and for a reviewer "Save and approve", which posts the text in the
 * field with the approval, so the text approved is the text on screen. Without JavaScript it posts
 * and the server answers with the page and this state; with it, the same action runs in a transition.
 */
export function RedactionForm(props: {
  action: (prev: RedactionFormState, form: FormData) => Promise<RedactionFormState>;
  testimonyId: string;
  quoteId: string;
  /** The redaction as stored when the page was rendered. */
  stored: string;
  text: { label: string; save: string; approve?: string; approveHint?: string };
}) {
  const [state, run, pending] = useActionState(props.action, {});
  // Submitted by hand: React would reset the form after the action and drop a refused text.
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
    startTransition(() => run(data));
  };
  const shown = state.redactedText ?? props.stored;
  const errors = Object.values(state.fieldErrors ?? {});
  return (
    <form action={run} onSubmit={onSubmit} className="stack" data-testid="quote-redaction" noValidate>
      <input type="hidden" name="testimonyId" value={props.testimonyId} />
      <input type="hidden" name="quoteId" value={props.quoteId} />
      {/* What the reviewer loaded: an approval is refused if someone else saved another text since. */}
      <input type="hidden" name="expectedText" value={props.stored} />
      <label>
        {props.text.label}
        <textarea key={state.stamp ?? 'stored'} name="redactedText" defaultValue={shown} rows={4} maxLength={4000} required aria-invalid={errors.length ? true : undefined} />
      </label>
      {errors.map((message) => (
        <p key={message} className="field-error" role="alert">
          {message}
        </p>
      ))}
      {props.text.approve && props.text.approveHint && <p className="muted">{props.text.approveHint}</p>}
      <div className="row-actions">
        <button type="submit" name="intent" value="save" disabled={pending}>
          {props.text.save}
        </button>
        {props.text.approve && (
          <button type="submit" name="intent" value="approve" disabled={pending} data-testid="approve-quote">
            {props.text.approve}
          </button>
        )}
      </div>
      {state.message && (
        <p className={state.ok ? 'notice' : 'error'} role="status" data-testid="form-message">
          {state.message}
        </p>
      )}
    </form>
  );
}
