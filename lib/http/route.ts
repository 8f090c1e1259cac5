import 'server-only';
import { z } from 'zod';
import { AppError, MalformedRequest, MethodNotAllowed, toErrorBody, TooLarge, UnsupportedMediaType, problem } from '../errors';
import { log, requestIdFrom, withRequestId } from '../log';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response | unknown>;

const NO_STORE = { 'cache-control': 'no-store' };

export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}) {
  return Response.json(body, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

export function errorResponse(err: unknown, requestId?: string) {
  const { status, body, headers } = toErrorBody(err, requestId);
  return json(body, { status, headers: { ...headers, ...(requestId ? { 'x-request-id': requestId } : {}) } });
}

/**
 * Wraps a handler: its value becomes JSON, every thrown error the one error shape. It runs under
 * the request's id (x-request-id from proxy.ts, or a new one), which every log line and error body carries.
 */
export function route(handler: Handler) {
  return (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => {
    const requestId = requestIdFrom(req.headers);
    return withRequestId(requestId, async () => {
      const started = performance.now();
      let res: Response;
      try {
        const out = await handler(req, ctx);
        res = out instanceof Response ? out : json(out, { headers: { 'x-request-id': requestId } });
      } catch (err) {
        res = errorResponse(err, requestId);
      }
      // Only the path: a query string can hold a subject code (?subject=).
      log.debug('request', { method: req.method, path: new URL(req.url).pathname, status: res.status, ms: Math.round(performance.now() - started) });
      return res;
    });
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

const mediaType = (req: Request) => (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
// application/json and the +json types (application/merge-patch+json).
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json$/;

/**
 * Reads and validates a JSON body: 413 when too large, 415 when not sent as JSON (a text/plain or
 * form body is what a cross-site page can send without asking), 400 when not JSON, 422 when the
 * schema refuses it. An empty body where one is optional (`emptyAs`) needs no content type.
 */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, opts: { maxBytes?: number; emptyAs?: unknown } = {}): Promise<z.infer<S>> {
  const maxBytes = opts.maxBytes ?? MAX_JSON_BYTES;
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new TooLarge();
  const type = mediaType(req);
  const notJson = () => new UnsupportedMediaType(problem('bodyNotJsonType'));
  if (type !== '' && !JSON_TYPE.test(type)) throw notJson();
  const text = await req.text().catch(() => {
    throw new MalformedRequest();
  });
  if (Buffer.byteLength(text) > maxBytes) throw new TooLarge();
  if (text.trim() === '' && opts.emptyAs !== undefined) return schema.parse(opts.emptyAs);
  if (type === '') throw notJson();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedRequest(problem('bodyNotJson'));
  }
  return schema.parse(value);
}

const CSV_TYPES = new Set(['text/csv', 'application/csv']);

/**
 * A CSV request body as a stream of bytes: 415 for another content type, 413 at once when the
 * declared length is over the limit (the reader counts the bytes again as they arrive).
 */
export function readCsvBody(req: Request, maxBytes: number): AsyncIterable<Uint8Array> {
  if (!CSV_TYPES.has(mediaType(req))) throw new UnsupportedMediaType('Send the file with Content-Type: text/csv.');
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new TooLarge(problem('fileTooLarge', { limit: `${Math.round(maxBytes / 1024 / 1024)} MB` }));
  if (!req.body) throw new MalformedRequest(problem('noBody'));
  return req.body as unknown as AsyncIterable<Uint8Array>;
}

/**
 * A copy of `req` whose body is counted as it arrives: past `maxBytes` the reading stops (the sender's
 * stream is cancelled) and the body fails; `exceeded()` then says why. For a body read whole
 * (`formData()`): a chunked body declares no length, so only counting keeps it from filling memory.
 */
export function withBodyLimit(req: Request, maxBytes: number): { request: Request; exceeded: () => boolean } {
  let bytes = 0;
  const exceeded = () => bytes > maxBytes;
  if (!req.body) return { request: req, exceeded };
  const reader = req.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      bytes += value.byteLength;
      if (exceeded()) {
        await reader.cancel().catch(() => {});
        return controller.error(new TooLarge());
      }
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { request: new Request(req.url, { method: req.method, headers: req.headers, body, duplex: 'half' } as RequestInit), exceeded };
}

/** A CSV download. */
export function csvResponse(chunks: AsyncIterable<string> | string, filename: string) {
  const body =
    typeof chunks === 'string'
      ? chunks
      : new ReadableStream<Uint8Array>({
          async start(controller) {
            const encoder = new TextEncoder();
            try {
              for await (const c of chunks) controller.enqueue(encoder.encode(c));
              controller.close();
            } catch (e) {
              log.error('CSV download stopped half-way', { err: e });
              controller.error(e);
            }
          },
        });
  return new Response(body, {
    status: 200,
    headers: { ...NO_STORE, 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` },
  });
}

/** Query string → object, validated. */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  return schema.parse(Object.fromEntries(new URL(req.url).searchParams));
}

export { AppError };
