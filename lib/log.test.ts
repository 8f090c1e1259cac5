import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeError, log, routeConsoleToLog, setLogLevel, setLogSink, withRequestId } from './log';

// Words that must never reach a log line, wherever a caller puts them.
const NARRATIVE = 'slept in a metal container beside the site';
const CODE = 'W-7K3F9Q';

let lines: string[] = [];
let restore: (line: string) => void;
beforeEach(() => {
  lines = [];
  restore = setLogSink((line) => void lines.push(line));
  setLogLevel('debug');
});
afterEach(() => {
  setLogSink(restore);
  setLogLevel('info');
});

const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('logger', () => {
  it('writes one JSON object a line with level, time, msg and the request id', () => {
    withRequestId('req-12345678', () => log.info('hello', { status: 200 }));
    log.warn('outside a request');
    const [inside, outside] = parsed();
    expect(inside).toMatchObject({ level: 'info', msg: 'hello', requestId: 'req-12345678', status: 200 });
    expect(new Date(String(inside!.time)).getTime()).not.toBeNaN();
    expect(outside).toMatchObject({ level: 'warn', msg: 'outside a request' });
    expect(outside!.requestId).toBeUndefined();
  });

  it('respects the level', () => {
    setLogLevel('warn');
    log.info('quiet');
    log.debug('quieter');
    log.error('loud');
    expect(parsed().map((l) => l.msg)).toEqual(['loud']);
  });

  it('blanks fields that could hold what a worker said, at any depth, and clears subject codes from every string', () => {
    log.error(`saving ${CODE} failed`, {
      narrative: NARRATIVE,
      body: { narrative: NARRATIVE },
      testimony: { interviewerNotes: NARRATIVE, subjectCode: CODE, quotes: [{ originalText: NARRATIVE }] },
      request_body: NARRATIVE,
      params: [NARRATIVE],
      path: `/api/v1/testimonies/${CODE}`,
    });
    const out = lines.join('');
    expect(out).not.toContain(NARRATIVE);
    expect(out).not.toContain(CODE);
    expect(parsed()[0]).toMatchObject({ narrative: '[redacted]', body: '[redacted]', path: '/api/v1/testimonies/[subject]' });
  });

  it('logs an error as name, message and stack frames; a database error as its code and constraint only', () => {
    // As postgres.js and PGlite raise them: message and detail name the row's values.
    const dbError = Object.assign(new Error(`invalid input syntax: "${NARRATIVE}"`), {
      name: 'PostgresError',
      severity: 'ERROR',
      code: '23505',
      constraint_name: 'testimony_subject_uq',
      table_name: 'testimony',
      detail: `Key (subject_code)=(${CODE}) already exists.`,
    });
    // As drizzle wraps it: "Failed query: … params: …".
    const wrapped = Object.assign(new Error(`Failed query: insert into testimony values ($1)\nparams: ${NARRATIVE},${CODE}`), { query: 'insert …', params: [NARRATIVE, CODE], cause: dbError });
    withRequestId('req-abcdefgh', () => log.error('unexpected error', { err: describeError(wrapped) }));
    const out = lines.join('');
    expect(out).not.toContain(NARRATIVE);
    expect(out).not.toContain(CODE);
    const err = parsed()[0]!.err as Record<string, unknown>;
    expect(err).toMatchObject({ name: 'DrizzleQueryError', cause: { name: 'PostgresError', code: '23505', constraint: 'testimony_subject_uq', table: 'testimony' } });
    expect(err.message).toBeUndefined();
    expect(Array.isArray(err.stack) && (err.stack as string[]).every((f) => f.startsWith('at '))).toBe(true);
    expect(describeError(new TypeError('plain bug'))).toMatchObject({ name: 'TypeError', message: 'plain bug' });
  });

  it('turns console output into JSON lines without the objects passed along', () => {
    routeConsoleToLog();
    console.error('render failed', new Error(`boom for ${CODE}`), { body: NARRATIVE });
    const [line] = parsed();
    expect(line).toMatchObject({ level: 'error', msg: 'render failed', err: { name: 'Error', message: 'boom for [subject]' }, objectsLeftOut: true });
    expect(lines.join('')).not.toContain(NARRATIVE);
  });
});
