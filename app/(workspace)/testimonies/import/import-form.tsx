'use client';
import { useRef, useState, type FormEvent } from 'react';

export type ImportLabels = Record<'file' | 'submit' | 'receiving' | 'writing' | 'sending' | 'done' | 'problems' | 'moreProblems' | 'tooLarge' | 'uploadFailed', string>;

export interface ImportOutcome {
  ok: boolean;
  message: string;
  issues?: { path: string; message: string }[];
}

const fill = (text: string, vars: Record<string, string | number>) => Object.entries(vars).reduce((t, [k, v]) => t.replaceAll(`{${k}}`, String(v)), text);
const SHOWN = 200;

/** The result of an import: the count, or every bad row by line and column. Rendered by the page too. */
export function ImportOutcomeView({ outcome, labels }: { outcome: ImportOutcome; labels: Pick<ImportLabels, 'problems' | 'moreProblems'> }) {
  return (
    <div className="stack">
      <p className={outcome.ok ? 'notice' : 'error'} role="status" data-testid={outcome.ok ? 'import-result' : 'import-refused'}>
        {outcome.message}
      </p>
      {outcome.issues && outcome.issues.length > 0 && (
        <section aria-label={labels.problems}>
          <h2>{labels.problems}</h2>
          <ul data-testid="import-issues">
            {outcome.issues.slice(0, SHOWN).map((i, n) => (
              <li key={n}>
                <strong>{i.path}</strong>: {i.message}
              </li>
            ))}
          </ul>
          {outcome.issues.length > SHOWN && <p>{fill(labels.moreProblems, { shown: SHOWN })}</p>}
        </section>
      )}
    </div>
  );
}

interface Progress {
  status: string;
  rowsDone: number;
  rowsTotal: number | null;
}

/**
 * Without JavaScript the form posts to /testimonies/import/upload and the page shows the result.
 * With it, the file goes to the API as text/csv and the import's progress is polled from the
 * database (any instance can answer), so a large file shows how far it has got; once the import
 * ends the browser opens its job's page, which words the result in the reader's language.
 */
export function ImportForm({ labels, maxBytes, maxLabel, initial }: { labels: ImportLabels; maxBytes: number; maxLabel: string; initial?: ImportOutcome }) {
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(initial ?? null);
  const input = useRef<HTMLInputElement>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    const file = input.current?.files?.[0];
    if (!file) return; // let the browser post the empty form: the server answers with the message
    e.preventDefault();
    setOutcome(null);
    if (file.size > maxBytes) {
      setOutcome({ ok: false, message: fill(labels.tooLarge, { size: maxLabel }) });
      return;
    }
    setBusy(true);
    setProgress(null);
    const job = crypto.randomUUID();
    let polling = true;
    const poll = async () => {
      while (polling) {
        await new Promise((r) => setTimeout(r, 700));
        if (!polling) break;
        const res = await fetch(`/api/v1/imports/${job}`).catch(() => null);
        if (res?.ok && polling) setProgress((await res.json()) as Progress);
      }
    };
    void poll();
    try {
      const res = await fetch(`/api/v1/testimonies/import?job=${job}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: file });
      const body = (await res.json().catch(() => ({}))) as { imported?: number; subjects?: number; error?: { message: string; issues?: { path: string; message: string }[] } };
      // Imported, or refused row by row: the job's page words the result in the reader's language (the API speaks English).
      if (res.status === 201 || (res.status === 422 && body.error?.issues?.length)) {
        window.location.assign(`/testimonies/import?job=${job}`);
        return;
      }
      setOutcome({ ok: false, message: res.status === 413 ? fill(labels.tooLarge, { size: maxLabel }) : (body.error?.message ?? `Error ${res.status}`), issues: body.error?.issues });
    } catch {
      setOutcome({ ok: false, message: labels.uploadFailed });
    } finally {
      polling = false;
      setBusy(false);
      setProgress(null);
    }
  }

  const status =
    progress?.status === 'writing'
      ? fill(labels.writing, { done: progress.rowsDone, total: progress.rowsTotal ?? '?' })
      : progress?.status === 'receiving'
        ? fill(labels.receiving, { rows: progress.rowsDone })
        : labels.sending;

  return (
    <div className="stack">
      <form method="post" action="/testimonies/import/upload" encType="multipart/form-data" onSubmit={onSubmit} className="stack" data-testid="import-form">
        <label>
          {labels.file}
          <input ref={input} type="file" name="file" accept=".csv,text/csv" required />
        </label>
        <div>
          <button type="submit" disabled={busy}>
            {labels.submit}
          </button>
        </div>
      </form>
      {busy && (
        <p role="status" data-testid="import-progress">
          <progress max={progress?.rowsTotal ?? undefined} value={progress?.status === 'writing' ? progress.rowsDone : undefined} /> {status}
        </p>
      )}
      {outcome && <ImportOutcomeView outcome={outcome} labels={labels} />}
    </div>
  );
}
