// Every route handler of the app, imported directly, with the can() action it performs. Shared by
// the attack tests under test/security/. A route file missing here fails the matrix test.
import * as catchAll from '@/app/api/[...path]/route';
import * as health from '@/app/api/health/route';
import * as aggregates from '@/app/api/v1/aggregates/route';
import * as claims from '@/app/api/v1/claims/route';
import * as importJob from '@/app/api/v1/imports/[id]/route';
import * as me from '@/app/api/v1/me/route';
import * as openapi from '@/app/api/v1/openapi.json/route';
import * as publicationApprove from '@/app/api/v1/publications/[id]/approve/route';
import * as publicationRetract from '@/app/api/v1/publications/[id]/retract/route';
import * as publicationReturn from '@/app/api/v1/publications/[id]/return/route';
import * as publicationOne from '@/app/api/v1/publications/[id]/route';
import * as publicationSubmit from '@/app/api/v1/publications/[id]/submit/route';
import * as publicationVersions from '@/app/api/v1/publications/[id]/versions/route';
import * as publications from '@/app/api/v1/publications/route';
import * as quoteApprove from '@/app/api/v1/quotes/[id]/approve/route';
import * as quoteReject from '@/app/api/v1/quotes/[id]/reject/route';
import * as quoteOne from '@/app/api/v1/quotes/[id]/route';
import * as source from '@/app/api/v1/sources/[id]/route';
import * as sources from '@/app/api/v1/sources/route';
import * as summaryOne from '@/app/api/v1/summaries/[slug]/route';
import * as summaryList from '@/app/api/v1/summaries/route';
import * as approve from '@/app/api/v1/testimonies/[id]/approve/route';
import * as withdraw from '@/app/api/v1/testimonies/[id]/consent/withdraw/route';
import * as testimonyQuotes from '@/app/api/v1/testimonies/[id]/quotes/route';
import * as one from '@/app/api/v1/testimonies/[id]/route';
import * as links from '@/app/api/v1/testimonies/[id]/sources/route';
import * as submit from '@/app/api/v1/testimonies/[id]/submit/route';
import * as exportCsv from '@/app/api/v1/testimonies/export/route';
import * as importCsv from '@/app/api/v1/testimonies/import/route';
import * as template from '@/app/api/v1/testimonies/import/template/route';
import * as list from '@/app/api/v1/testimonies/route';
import * as aggregatesCsv from '@/app/(workspace)/aggregates/csv/route';
import * as importUpload from '@/app/(workspace)/testimonies/import/upload/route';
import * as summaryDownload from '@/app/(public)/summaries/[slug]/download/[format]/route';

export type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const ROUTE_MODULES: Record<string, Record<string, unknown>> = {
  'app/api/[...path]/route.ts': catchAll,
  'app/api/health/route.ts': health,
  'app/api/v1/aggregates/route.ts': aggregates,
  'app/api/v1/claims/route.ts': claims,
  'app/api/v1/imports/[id]/route.ts': importJob,
  'app/api/v1/me/route.ts': me,
  'app/api/v1/openapi.json/route.ts': openapi,
  'app/api/v1/publications/[id]/approve/route.ts': publicationApprove,
  'app/api/v1/publications/[id]/retract/route.ts': publicationRetract,
  'app/api/v1/publications/[id]/return/route.ts': publicationReturn,
  'app/api/v1/publications/[id]/route.ts': publicationOne,
  'app/api/v1/publications/[id]/submit/route.ts': publicationSubmit,
  'app/api/v1/publications/[id]/versions/route.ts': publicationVersions,
  'app/api/v1/publications/route.ts': publications,
  'app/api/v1/quotes/[id]/approve/route.ts': quoteApprove,
  'app/api/v1/quotes/[id]/reject/route.ts': quoteReject,
  'app/api/v1/quotes/[id]/route.ts': quoteOne,
  'app/api/v1/sources/[id]/route.ts': source,
  'app/api/v1/sources/route.ts': sources,
  'app/api/v1/summaries/[slug]/route.ts': summaryOne,
  'app/api/v1/summaries/route.ts': summaryList,
  'app/api/v1/testimonies/[id]/approve/route.ts': approve,
  'app/api/v1/testimonies/[id]/consent/withdraw/route.ts': withdraw,
  'app/api/v1/testimonies/[id]/quotes/route.ts': testimonyQuotes,
  'app/api/v1/testimonies/[id]/route.ts': one,
  'app/api/v1/testimonies/[id]/sources/route.ts': links,
  'app/api/v1/testimonies/[id]/submit/route.ts': submit,
  'app/api/v1/testimonies/export/route.ts': exportCsv,
  'app/api/v1/testimonies/import/route.ts': importCsv,
  'app/api/v1/testimonies/import/template/route.ts': template,
  'app/api/v1/testimonies/route.ts': list,
  'app/(workspace)/aggregates/csv/route.ts': aggregatesCsv,
  'app/(workspace)/testimonies/import/upload/route.ts': importUpload,
  'app/(public)/summaries/[slug]/download/[format]/route.ts': summaryDownload,
};

export function handlerOf(file: string, method: string): Handler | undefined {
  const mod = ROUTE_MODULES[file];
  if (!mod) throw new Error(`no module for ${file}`);
  return mod[method] as Handler | undefined;
}

export async function call(
  file: string,
  method: string,
  opts: { token?: string; params?: Record<string, string>; query?: string; body?: string | FormData; headers?: Record<string, string> } = {},
): Promise<Response> {
  const handler = handlerOf(file, method);
  if (!handler) throw new Error(`${file} exports no ${method}`);
  // Answers are compared byte for byte (a foreign id must answer like a missing one): one request id
  // for every call, since error bodies carry it.
  const headers: Record<string, string> = { 'x-request-id': 'security-suite-request', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const req = new Request(`http://localhost/x${opts.query ? `?${opts.query}` : ''}`, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : opts.body,
  });
  return handler(req, { params: Promise.resolve(opts.params ?? {}) });
}

export async function errorCode(res: Response): Promise<string | undefined> {
  try {
    return ((await res.clone().json()) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}
