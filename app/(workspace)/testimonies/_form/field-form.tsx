'use client';
import { createContext, startTransition, useActionState, useContext, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { FormState } from '@/app/_lib/form-action';

const Errors = createContext<Record<string, string>>({});

/**
 * A long form bound to a server action, with errors shown beside their fields. With JavaScript the
 * submit keeps what was typed (no reset on error); without it the form still posts and re-renders.
 */
export function FieldForm(props: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  submit: string;
  children: ReactNode;
  testId?: string;
  /** Server-side autosave: called with the form's fields a moment after typing stops. */
  autosave?: { save: (entries: [string, string][]) => Promise<string | null>; savedLabel: string; restoredNote?: string };
}) {
  const [state, run, pending] = useActionState(props.action, {});
  const [saved, setSaved] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const onChange = (e: FormEvent<HTMLFormElement>) => {
    const autosave = props.autosave;
    if (!autosave) return;
    const form = e.currentTarget;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const entries = [...new FormData(form).entries()].filter((x): x is [string, string] => typeof x[1] === 'string' && !x[0].startsWith('$'));
      autosave.save(entries).then(setSaved, () => setSaved(null));
    }, 1500);
  };
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
    startTransition(() => run(data));
  };
  return (
    <Errors.Provider value={state.fieldErrors ?? {}}>
      <form action={run} onSubmit={onSubmit} onChange={onChange} className="record" data-testid={props.testId} noValidate>
        {props.autosave?.restoredNote && <p className="notice">{props.autosave.restoredNote}</p>}
        {state.message && (
          <p className={state.ok ? 'notice' : 'error'} role="alert" data-testid="form-message">
            {state.message}
          </p>
        )}
        {state.fieldErrors?.form && <p className="field-error">{state.fieldErrors.form}</p>}
        {props.children}
        <div className="actions">
          <button type="submit" disabled={pending}>
            {props.submit}
          </button>
          <span className="muted" aria-live="polite" data-testid="autosave-status">
            {saved ? `${props.autosave?.savedLabel} ${saved}` : ''}
          </span>
        </div>
      </form>
    </Errors.Provider>
  );
}

/** The error of one field (its name as in the form, e.g. "hours.shiftStart"). */
export function FieldError({ name }: { name: string }) {
  const message = useContext(Errors)[name];
  if (!message) return null;
  return (
    <span className="field-error" id={`error-${name}`} data-testid={`error-${name}`}>
      {message}
    </span>
  );
}
