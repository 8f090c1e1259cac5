import { z } from 'zod';

// The small set of errors the app answers with; anything else is a bug, logged, and a bare 500.
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
}
export class BadInput extends AppError {
  constructor(message = 'The request is not valid.', issues?: { path: string; message: string }[]) {
    super(422, 'bad_input', message, issues);
  }
}
export class MalformedRequest extends AppError {
  constructor(message = 'The request body could not be read.') {
    super(400, 'malformed_request', message);
  }
}
export class Unauthenticated extends AppError {
  constructor(message = 'Sign in or send a valid API token.') {
    super(401, 'unauthenticated', message);
  }
}
export class Forbidden extends AppError {
  constructor(message = 'You are not allowed to do this.') {
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
  constructor(message: string, issues?: { path: string; message: string }[]) {
    super(409, 'conflict', message, issues);
  }
}
export class TooLarge extends AppError {
  constructor(message = 'The request body is too large.') {
    super(413, 'too_large', message);
  }
}
export class UnsupportedMediaType extends AppError {
  constructor(message = 'This content type is not accepted here.') {
    super(415, 'unsupported_media_type', message);
  }
}
export class RateLimited extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', 'Too many requests. Try again later.');
  }
}
export class Unavailable extends AppError {
  constructor(message = 'The service is temporarily unavailable.') {
    super(503, 'unavailable', message);
  }
}

export function zodIssues(err: z.ZodError) {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Maps any thrown value to the one error shape; unexpected errors reveal nothing. */
export function toErrorBody(err: unknown): { status: number; body: { error: { code: string; message: string; issues?: { path: string; message: string }[] } }; headers?: Record<string, string> } {
  if (err instanceof z.ZodError) {
    return { status: 422, body: { error: { code: 'bad_input', message: 'The request is not valid.', issues: zodIssues(err) } } };
  }
  if (err instanceof AppError) {
    const headers = err instanceof RateLimited ? { 'retry-after': String(err.retryAfterSeconds) } : undefined;
    const error = err.issues ? { code: err.code, message: err.message, issues: err.issues } : { code: err.code, message: err.message };
    return { status: err.status, body: { error }, headers };
  }
  console.error('[unexpected]', err);
  return { status: 500, body: { error: { code: 'internal', message: 'Something went wrong on our side.' } } };
}
