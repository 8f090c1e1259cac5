'use client';
import { useActionState, type ReactNode } from 'react';
import type { FormState } from '@/app/_lib/form-action';

/** A form bound to a server action; shows its result (message, a secret shown once, recovery codes). */
export function ActionForm(props: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  submit: string;
  children?: ReactNode;
  className?: string;
  secretLabel?: string;
  testId?: string;
  danger?: boolean;
  /** Once the action has handed out recovery codes, the form gives way to them and this link. */
  after?: { href: string; label: string };
}) {
  const [state, run, pending] = useActionState(props.action, {});
  if (state.ok && state.codes && props.after) {
    return (
      <div className="stack" data-testid={props.testId}>
        {state.message && (
          <p className="notice" role="status" data-testid="form-message">
            {state.message}
          </p>
        )}
        <RecoveryCodes codes={state.codes} />
        <p>
          <a href={props.after.href}>{props.after.label}</a>
        </p>
      </div>
    );
  }
  return (
    <form action={run} className={props.className ?? 'stack'} data-testid={props.testId} noValidate>
      {props.children}
      {state.fieldErrors &&
        Object.entries(state.fieldErrors).map(([name, msg]) => (
          <p key={name} className="field-error" role="alert">
            {name !== 'form' ? `${name}: ` : ''}
            {msg}
          </p>
        ))}
      <div>
        <button type="submit" disabled={pending} className={props.danger ? 'danger' : undefined}>
          {props.submit}
        </button>
      </div>
      {state.message && (
        <p className={state.ok ? 'notice' : 'error'} role="status" data-testid="form-message">
          {state.message}
        </p>
      )}
      {state.secret && (
        <p className="secret">
          {props.secretLabel && <span>{props.secretLabel} </span>}
          <code data-testid="secret">{state.secret}</code>
        </p>
      )}
      {state.codes && <RecoveryCodes codes={state.codes} />}
      {state.cells && (
        <ul data-testid="refused-cells">
          {state.cells.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      )}
    </form>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <ul className="codes" data-testid="recovery-codes">
      {codes.map((c) => (
        <li key={c}>
          <code>{c}</code>
        </li>
      ))}
    </ul>
  );
}
