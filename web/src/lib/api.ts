// The one API client: typed from api/openapi.yaml (openapi-typescript + openapi-fetch), same
// origin, session cookies. State-changing requests repeat the kontor_csrf cookie in X-CSRF-Token
// (double submit); a 401 refreshes the session once (POST /api/auth/refresh with the refresh
// cookie) and retries; if that fails too, the session is over and onSessionExpired runs.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from '@/api/schema';

export type Schemas = components['schemas'];

// RFC 9457 problem details as the server writes them.
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  request_id?: string;
  errors?: { field: string; message: string }[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  readonly retryAfter?: number;
  constructor(problem: Problem, retryAfter?: number) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
  // The message for one field (a JSON pointer such as "/title"), if the server named it.
  fieldError(field: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === field)?.message;
  }
}

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function withCsrf(request: Request): Request {
  if (SAFE.has(request.method)) return request;
  const token = readCookie('kontor_csrf');
  if (token) request.headers.set('X-CSRF-Token', token);
  return request;
}

let refreshing: Promise<boolean> | null = null;

// One refresh at a time, shared by every request that met a 401 meanwhile.
export function refreshSession(): Promise<boolean> {
  refreshing ??= fetch(`${origin()}/api/auth/refresh`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'X-CSRF-Token': readCookie('kontor_csrf') ?? '' },
  })
    .then((r) => r.ok)
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

let sessionExpired: () => void = () => {};
export function onSessionExpired(handler: () => void) {
  sessionExpired = handler;
}

const NO_REFRESH = ['/api/auth/login', '/api/auth/refresh', '/api/auth/register'];

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    return withCsrf(request);
  },
  async onResponse({ request, response, schemaPath }) {
    if (response.status !== 401 || NO_REFRESH.some((p) => schemaPath.startsWith(p))) return;
    if (!(await refreshSession())) {
      sessionExpired();
      return;
    }
    // The first attempt was sent from a copy (see `fetch` below), so this request still has its
    // body; requests here carry small JSON bodies only (uploads go through uploadFile).
    return globalThis.fetch(withCsrf(request.clone()));
  },
};

// Absolute URLs: the same origin in the browser, and what Node's fetch needs in tests.
const origin = () => (typeof window !== 'undefined' ? window.location.origin : '');

export const api = createClient<paths>({
  baseUrl: origin(),
  credentials: 'same-origin',
  // Looked up per call, not captured once: test doubles at the network edge patch fetch later.
  // fetch() uses up the body of the request it is given; sending a copy keeps the original whole
  // for the one retry after a refresh.
  fetch: (request) => globalThis.fetch(request.clone()),
});
api.use(sessionMiddleware);

// Every page of a list, for pickers, directories and a ticket's sub-lists shown whole: pages of
// PAGE_LIMIT, at most maxPages of them (1,000 entries by default).
export const PAGE_LIMIT = 100;
export async function allPages<T>(
  fetchPage: (page: number) => Promise<{ data: T[]; meta: { total_pages: number } }>,
  maxPages = 10,
): Promise<T[]> {
  const first = await fetchPage(1);
  const items = [...first.data];
  const last = Math.min(first.meta.total_pages, maxPages);
  for (let page = 2; page <= last; page += 1) items.push(...(await fetchPage(page)).data);
  return items;
}

// The tenant's customer organisations (by name) and the users the caller may list, whole.
export const allCustomers = () =>
  allPages((page) =>
    unwrap(
      api.GET('/api/customers', {
        params: { query: { page, limit: PAGE_LIMIT, sort: 'name', order: 'asc' } },
      }),
    ),
  );
export const allUsers = () =>
  allPages((page) =>
    unwrap(api.GET('/api/users', { params: { query: { page, limit: PAGE_LIMIT } } })),
  );

// Unwraps an openapi-fetch result: the data, or an ApiError with the server's problem.
export async function unwrap<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await promise;
  if (response.ok) return data as T;
  const retry = response.headers.get('Retry-After');
  const problem: Problem =
    error && typeof error === 'object' && 'status' in error
      ? (error as Problem)
      : { status: response.status, title: response.statusText };
  throw new ApiError(problem, retry ? Number(retry) : undefined);
}

// The multipart form of an upload: the text fields, then the one part named "file".
export function uploadForm(file: File, fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', file, file.name);
  return form;
}

// A file upload with progress (fetch has no upload progress): multipart/form-data through
// XMLHttpRequest, with the CSRF header and one refresh on 401.
export function uploadFile(
  url: string,
  file: File,
  fields: Record<string, string>,
  onProgress?: (fraction: number) => void,
): Promise<unknown> {
  const send = () =>
    new Promise<{ status: number; body: unknown; retryAfter?: number }>((resolve, reject) => {
      const form = uploadForm(file, fields);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.withCredentials = true;
      const csrf = readCookie('kontor_csrf');
      if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => {
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = null;
        }
        const retry = xhr.getResponseHeader('Retry-After');
        resolve({ status: xhr.status, body, retryAfter: retry ? Number(retry) : undefined });
      };
      xhr.onerror = () => reject(new ApiError({ status: 0, title: 'Network error' }));
      xhr.send(form);
    });
  return send().then(async (first) => {
    let r = first;
    if (r.status === 401 && (await refreshSession())) r = await send();
    if (r.status === 401) sessionExpired();
    if (r.status >= 200 && r.status < 300) return r.body;
    const problem =
      r.body && typeof r.body === 'object' ? (r.body as Problem) : { status: r.status };
    throw new ApiError(problem, r.retryAfter);
  });
}
