import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pino, { type Level, type LevelWithSilent } from 'pino';

// Structured logs: one JSON object a line (level, time, msg, requestId), to stdout for the server
// and to stderr for the CLI (--verbose). What a worker is must never reach a log line: no narrative,
// notes, quotes, subject codes or request bodies. So callers pass plain fields, keys that could hold
// such text are blanked at any depth, strings are cleared of subject codes, and errors are reduced
// to name, message and stack frames (a database error to its code and constraint: its message and
// detail, and drizzle's "Failed query … params", can hold row values).

export type LogFields = Record<string, unknown>;

const REDACTED = '[redacted]';
/** Keys whose values are never written, at any depth (compared without case, dashes or underscores). */
export const FORBIDDEN_KEY = /narrative|notes?$|quote|excerpt|originaltext|redactedtext|subject|body|password|passphrase|secret|token|authorization|cookie|detail|params|query|email|reason/i;
/** A pseudonymous subject code as the app generates it (lib/testimonies): W-7K3F9Q. */
export const SUBJECT_CODE = /\bW-[0-9A-HJKMNP-TV-Z]{6}\b/gi;
const MAX_STRING = 500;

const scrub = (s: string) => (s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…` : s).replace(SUBJECT_CODE, '[subject]');

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  if (value instanceof Error) return describeError(value);
  if (value instanceof Date) return value.toISOString();
  if (depth >= 4) return '[object]';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => clean(v, depth + 1));
  const out: LogFields = {};
  for (const [k, v] of Object.entries(value)) out[k] = FORBIDDEN_KEY.test(k.replace(/[-_]/g, '')) ? REDACTED : clean(v, depth + 1);
  return out;
}

const DB_ERROR_CODE = /^[0-9A-Z]{5}$/;

/** What may be logged of a thrown value. */
export function describeError(err: unknown, depth = 0): LogFields {
  if (!(err instanceof Error)) return { name: 'NonError', type: typeof err };
  const e = err as Error & Record<string, unknown>;
  const out: LogFields = { name: err.name };
  const stack = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).map((l) => l.trim()).slice(0, 20);
  if (typeof e.code === 'string' && DB_ERROR_CODE.test(e.code) && ('severity' in e || 'constraint_name' in e || 'constraint' in e || 'routine' in e)) {
    // PostgreSQL (postgres.js PostgresError, PGlite DatabaseError): "invalid input … "<value>"" and the detail name row values.
    out.code = e.code;
    const constraint = e.constraint_name ?? e.constraint;
    if (typeof constraint === 'string') out.constraint = constraint;
    const table = e.table_name ?? e.table;
    if (typeof table === 'string') out.table = table;
  } else if (typeof e.query === 'string' && 'params' in e) {
    out.name = 'DrizzleQueryError'; // its message is the SQL and its parameters
  } else {
    out.message = scrub(err.message);
    if (typeof e.code === 'string' && e.code.length <= 40) out.code = e.code;
  }
  out.stack = stack;
  if (err.cause !== undefined && depth < 3) out.cause = describeError(err.cause, depth + 1);
  return out;
}

// One logger and one request context per process, whichever bundle (route, page, instrumentation) asks.
interface LogState {
  context: AsyncLocalStorage<{ requestId: string }>;
  sink: (line: string) => void;
  logger: pino.Logger;
}
const holder = globalThis as unknown as { __ledgerLog?: LogState };

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const initialLevel = (): LevelWithSilent => {
  const wanted = (process.env.LOG_LEVEL ?? 'info').toLowerCase();
  return (LEVELS as readonly string[]).includes(wanted) ? (wanted as LevelWithSilent) : 'info';
};

function state(): LogState {
  if (holder.__ledgerLog) return holder.__ledgerLog;
  const context = new AsyncLocalStorage<{ requestId: string }>();
  const s: LogState = {
    context,
    sink: (line) => void process.stdout.write(line),
    logger: undefined as unknown as pino.Logger,
  };
  s.logger = pino(
    {
      level: initialLevel(),
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = context.getStore()?.requestId;
        return requestId ? { requestId } : {};
      },
    },
    { write: (line: string) => s.sink(line) },
  );
  holder.__ledgerLog = s;
  return s;
}

function write(level: Level, msg: string, fields?: LogFields) {
  const { logger } = state();
  if (!logger.isLevelEnabled(level)) return;
  logger[level]((fields ? clean(fields, 0) : {}) as object, scrub(msg));
}

export const log = {
  debug: (msg: string, fields?: LogFields) => write('debug', msg, fields),
  info: (msg: string, fields?: LogFields) => write('info', msg, fields),
  warn: (msg: string, fields?: LogFields) => write('warn', msg, fields),
  error: (msg: string, fields?: LogFields) => write('error', msg, fields),
};

export function setLogLevel(level: LevelWithSilent) {
  state().logger.level = level;
}

/** Where lines go (default stdout): the CLI sends them to stderr, tests capture them. Returns the previous sink. */
export function setLogSink(sink: (line: string) => void): (line: string) => void {
  const s = state();
  const previous = s.sink;
  s.sink = sink;
  return previous;
}

export { requestIdFrom } from './http/request-id';
export const newRequestId = () => randomUUID();

/** Runs `work` with `requestId` on every log line written meanwhile. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return state().context.run({ requestId }, work);
}

export function currentRequestId(): string | undefined {
  return state().context.getStore()?.requestId;
}

const CONSOLE_LEVELS = { log: 'info', info: 'info', warn: 'warn', error: 'error', debug: 'debug' } as const;

/**
 * Makes what Next and libraries print with console.* JSON lines of this logger too, kept to what
 * may be logged: the strings (subject codes cleared) and the errors as describeError() reduces them;
 * other objects are left out, since they could be a request or a row. Called once at server start.
 */
export function routeConsoleToLog() {
  const marked = console as unknown as { __ledgerRouted?: boolean };
  if (marked.__ledgerRouted) return;
  marked.__ledgerRouted = true;
  for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
    (console as unknown as Record<string, (...args: unknown[]) => void>)[method] = (...args: unknown[]) => {
      const words = args.filter((a) => typeof a === 'string' || typeof a === 'number').join(' ');
      const errors = args.filter((a) => a instanceof Error);
      write(level, words || (errors[0] as Error | undefined)?.name || 'console', {
        ...(errors.length ? { err: errors[0] } : {}),
        ...(errors.length > 1 ? { moreErrors: errors.slice(1) } : {}),
        ...(args.some((a) => typeof a === 'object' && a !== null && !(a instanceof Error)) ? { objectsLeftOut: true } : {}),
      });
    };
  }
}
