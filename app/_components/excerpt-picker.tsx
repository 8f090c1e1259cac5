'use client';
import { useEffect, useRef, useState } from 'react';

/**
 * Copies the text selected inside the captured report (element `textId`) into the claim form,
 * with its offsets in the text. Without JavaScript the excerpt is typed or pasted, and the server
 * finds it in the text.
 */
export function ExcerptPicker(props: { textId: string; label: string; hint: string; useSelection: string; empty: string }) {
  const [excerpt, setExcerpt] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [note, setNote] = useState('');
  const last = useRef<{ text: string; start: number; end: number } | null>(null);

  useEffect(() => {
    const onChange = () => {
      const root = document.getElementById(props.textId);
      const sel = document.getSelection();
      if (!root || !sel || sel.rangeCount === 0 || sel.isCollapsed) return;
      const range = sel.getRangeAt(0);
      if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return;
      const before = document.createRange();
      before.setStart(root, 0);
      before.setEnd(range.startContainer, range.startOffset);
      const s = before.toString().length;
      const text = range.toString();
      last.current = { text, start: s, end: s + text.length };
      apply();
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.textId]);

  function apply() {
    const picked = last.current;
    if (!picked) {
      setNote(props.empty);
      return;
    }
    setExcerpt(picked.text);
    setStart(String(picked.start));
    setEnd(String(picked.end));
    setNote('');
  }

  return (
    <div className="stack">
      <label>
        {props.label} <small>{props.hint}</small>
        <textarea
          name="excerpt"
          rows={3}
          value={excerpt}
          data-testid="excerpt"
          onChange={(e) => {
            setExcerpt(e.target.value);
            setStart('');
            setEnd('');
          }}
        />
      </label>
      <input type="hidden" name="excerptStart" value={start} />
      <input type="hidden" name="excerptEnd" value={end} />
      <div>
        <button type="button" className="secondary" onClick={apply}>
          {props.useSelection}
        </button>
        {note && <span className="field-error"> {note}</span>}
      </div>
    </div>
  );
}
