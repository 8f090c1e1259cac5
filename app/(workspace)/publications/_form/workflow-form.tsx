'use client';
import { useActionState, type ReactNode } from 'react';
import type { WorkflowState } from '../actions';

/** One workflow step (send to review, approve, …): a button, its result, and the cells a refusal names. */
export function WorkflowForm(props: {
  action: (prev: WorkflowState, form: FormData) => Promise<WorkflowState>;
  id: string;
  submit: string;
  testId: string;
  danger?: boolean;
  children?: ReactNode;
}) {
  const [state, run, pending] = useActionState(props.action, {});
  return (
    <form action={run} className="stack" data-testid={props.testId} noValidate>
      <input type="hidden" name="id" value={props.id} />
      {props.children}
      {state.fieldErrors?.reason && (
        <p className="field-error" id={`${props.testId}-error`}>
          {state.fieldErrors.reason}
        </p>
      )}
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
