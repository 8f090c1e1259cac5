import { z } from 'zod';
import { problem, type Problem } from './problem';

export { problem, type Problem, type ProblemKey } from './problem';
import { currentRequestId, describeError, log } from './log';

// The small set of errors the app answers with; anything else is a bug, logged, and a bare 500.
export class AppError extends Error {
  readonly problem?: Problem;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string | Problem,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(typeof message === 'string' ? message : message.text);
    if (typeof message !== 'string') this.problem = message;
  }
}
export class BadInput extends AppError {
  constructor(message: string | Problem = 'The request is not valid.', issues?: { path: string; message: string }[]) {
    super(422, 'bad_input', message, issues);
  }
}
export class MalformedRequest extends AppError {
  constructor(message: string | Problem = 'The request body could not be read.') {
    super(400, 'malformed_request', message);
  }
}
export class Unauthenticated extends AppError {
  constructor(message = 'Sign in or send a valid API token.') {
    super(401, 'unauthenticated', message);
  }
}
export class Forbidden extends AppError {
  constructor(message: string | Problem = problem('forbidden')) {
    super(403, 'forbidden', message);
  }
}
export class SecondFactorRequired extends AppError {
  constructor() {
    super(403, 'second_factor_required', 'Set up two-step sign-in before continuing.');
  }
}
export class NotFound extends AppError {
  constructor(what = 'resource') {
    super(404, 'not_found', `No such ${what}.`);
  }
}
export class MethodNotAllowed extends AppError {
  constructor(allowed: string[]) {
    super(405, 'method_not_allowed', `Allowed methods: ${allowed.join(', ')}.`);
  }
}
export class Conflict extends AppError {
  constructor(message: string | Problem, issues?: { path: string; message: string }[]) {
    super(409, 'conflict', message, issues);
  }
}
export class TooLarge extends AppError {
  constructor(message: string | Problem = problem('bodyTooLarge')) {
    super(413, 'too_large', message);
  }
}
export class UnsupportedMediaType extends AppError {
  constructor(message = 'This content type is not accepted here.') {
    super(415, 'unsupported_media_type', message);
  }
}
export class RateLimited extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    message: string | Problem = 'Too many requests. Try again later.',
  ) {
    super(429, 'rate_limited', message);
  }
}
export class Unavailable extends AppError {
  constructor(message = 'The service is temporarily unavailable.') {
    super(503, 'unavailable', message);
  }
}

/** SQLSTATE 53100: the database could not grow a file (disk or volume full). */
const DISK_FULL = '53100';

export class StorageFull extends AppError {
  constructor() {
    super(503, 'storage_full', problem('storageFull'));
  }
}

export function zodIssues(err: z.ZodError) {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

// SQLSTATE classes and codes that mean "the database is away", not "this request is wrong": 08 connection
// exceptions, 53300 too many connections, 55000 a database not accepting connections, 57P01-57P03
// shutdown or start-up, 3D000 the database gone. postgres.js names its own connection failures.
const UNAVAILABLE_SQLSTATE = /^(08\w{3}|53300|55000|57P0[123]|3D000)$/;
const UNAVAILABLE_CLIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);

/**
 * True when the database refused a text value it cannot store: a NUL character (22021) or a
 * character its encoding lacks (22P05). The input schemas refuse these with a field's name; this
 * catches any text that reaches the database another way, so it is answered 422, not 500.
 */
export const isUnstorableText = (err: unknown) => ['22021', '22P05'].includes(codeOf(err));

/** True when `err` (or what it wraps: drizzle puts the driver's error in `cause`) says the database cannot be reached. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_CLIENT.has(code))) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
  }
  return false;
}

/** True when `err` says the database's disk is full (PostgreSQL's 53100, or the embedded database's reserve reached). */
export const isDiskFull = (err: unknown) => codeOf(err) === DISK_FULL;

function codeOf(err: unknown): string {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return 'unknown';
}

export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[]; requestId?: string };
}

/**
 * Maps any thrown value to the one error shape, with the request's id when there is one; unexpected
 * errors reveal nothing to the client and are logged (name, message, stack: see lib/log.ts).
 */
export function toErrorBody(err: unknown, requestId = currentRequestId()): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  const withId = (error: ErrorBody['error']): ErrorBody => ({ error: requestId ? { ...error, requestId } : error });
  if (err instanceof z.ZodError) {
    return { status: 422, body: withId({ code: 'bad_input', message: 'The request is not valid.', issues: zodIssues(err) }) };
  }
  if (err instanceof AppError) {
    const headers = err instanceof RateLimited ? { 'retry-after': String(err.retryAfterSeconds) } : undefined;
    const error = err.issues ? { code: err.code, message: err.message, issues: err.issues } : { code: err.code, message: err.message };
    return { status: err.status, body: withId(error), headers };
  }
  if (isUnstorableText(err)) {
    const e = new BadInput(problem('textUnstorable'));
    return { status: 422, body: withId({ code: e.code, message: e.message }) };
  }
  if (isDiskFull(err)) {
    log.error('database disk full', { code: DISK_FULL, ...(requestId ? { requestId } : {}) });
    const e = new StorageFull();
    return { status: 503, body: withId({ code: e.code, message: e.message }), headers: { 'retry-after': '60' } };
  }
  if (isDatabaseUnavailable(err)) {
    // Nothing was written (every change runs in a transaction); the next request reconnects by itself.
    log.error('database unavailable', { code: codeOf(err), ...(requestId ? { requestId } : {}) }); // the code only: a failed query's message carries its parameters
    const e = new Unavailable();
    return { status: 503, body: withId({ code: e.code, message: e.message }), headers: { 'retry-after': '5' } };
  }
  log.error('unexpected error', { err: describeError(err), ...(requestId ? { requestId } : {}) });
  return { status: 500, body: withId({ code: 'internal', message: 'Something went wrong on our side.' }) };
}
