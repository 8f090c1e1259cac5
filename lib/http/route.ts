import 'server-only';
import { z } from 'zod';
import { AppError, MalformedRequest, MethodNotAllowed, toErrorBody, TooLarge } from '../errors';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response | unknown>;

const NO_STORE = { 'cache-control': 'no-store' };

export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}) {
  return Response.json(body, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

export function errorResponse(err: unknown) {
  const { status, body, headers } = toErrorBody(err);
  return json(body, { status, headers });
}

/** Wraps a handler: its value becomes JSON, every thrown error the one error shape. */
export function route(handler: Handler) {
  return async (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => {
    try {
      const out = await handler(req, ctx);
      return out instanceof Response ? out : json(out);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Exports a handler for every HTTP method, so a wrong method gets 405 in the error shape
 * instead of Next's bare answer.
 */
export function methods(handlers: Partial<Record<(typeof ALL_METHODS)[number], Handler>>) {
  const allowed = Object.keys(handlers);
  const out = {} as Record<(typeof ALL_METHODS)[number], ReturnType<typeof route>>;
  for (const m of ALL_METHODS) {
    const h = handlers[m];
    out[m] = h
      ? route(h)
      : route(async () => {
          throw new MethodNotAllowed(allowed);
        });
  }
  return out;
}

export const MAX_JSON_BYTES = 1_000_000;

/** Reads and validates a JSON body: 413 when too large, 400 when not JSON, 422 when the schema refuses it. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, opts: { maxBytes?: number; emptyAs?: unknown } = {}): Promise<z.infer<S>> {
  const maxBytes = opts.maxBytes ?? MAX_JSON_BYTES;
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new TooLarge();
  const text = await req.text().catch(() => {
    throw new MalformedRequest();
  });
  if (Buffer.byteLength(text) > maxBytes) throw new TooLarge();
  if (text.trim() === '' && opts.emptyAs !== undefined) return schema.parse(opts.emptyAs);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedRequest('The body must be JSON.');
  }
  return schema.parse(value);
}

/** Query string → object, validated. */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  return schema.parse(Object.fromEntries(new URL(req.url).searchParams));
}

export { AppError };
