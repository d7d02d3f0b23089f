// The sync API client: fetch, Bearer token, and strict checks that a reply is ours.
// Errors are ApiError with a `kind` the UI turns into words:
//   network (no signal, dropped), auth (login expired/revoked), rejected (4xx we caused),
//   server (5xx), bad_reply (a captive portal, a proxy page, anything not our JSON).
import { readSyncReply } from './outbox.js';

export class ApiError extends Error {
  constructor(kind, { status = 0, code = null, message = '', details = null } = {}) {
    super(message || kind);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

const GZIP_ABOVE_BYTES = 2048;

// What the phone says about itself at each sync (server/sync/client_report.py): the app
// version and the responses still waiting, besides those in the request.
export const APP_VERSION_HEADER = 'X-App-Version';
export const QUEUED_COUNT_HEADER = 'X-Queued-Count';
const APP_VERSION_MAX = 40;
const QUEUED_MAX = 1_000_000;

/** The headers of a client report ({appVersion, queued}); what does not fit is left out
 *  (a header must be ASCII here: fetch refuses other characters). */
export function clientReportHeaders(report) {
  const headers = {};
  const version = typeof report?.appVersion === 'string' ? report.appVersion.trim() : '';
  if (version && version.length <= APP_VERSION_MAX && /^[\x20-\x7e]+$/.test(version)) {
    headers[APP_VERSION_HEADER] = version;
  }
  const queued = report?.queued;
  if (Number.isInteger(queued) && queued >= 0 && queued <= QUEUED_MAX) {
    headers[QUEUED_COUNT_HEADER] = String(queued);
  }
  return headers;
}

async function gzip(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

export function createApi({ baseUrl = '/api/v1', getToken, fetchImpl = (...args) => fetch(...args) }) {
  // Set by the sync engine (reportClientWith): the report sent with assignments.
  let describeClient = null;

  /** The report's headers; bookkeeping never stops a sync, so a failure sends none. */
  async function reportHeaders(report) {
    try {
      return clientReportHeaders(report !== undefined ? report : await describeClient?.());
    } catch {
      return {};
    }
  }

  async function request(method, path, { body, headers = {}, auth = true, compress = false } = {}) {
    const init = { method, headers: { Accept: 'application/json', ...headers }, cache: 'no-store', credentials: 'omit' };
    if (auth) {
      const token = await getToken();
      if (!token) throw new ApiError('auth', { code: 'not_authenticated' });
      init.headers.Authorization = `Bearer ${token}`;
    }
    if (body !== undefined) {
      const text = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
      if (compress && text.length > GZIP_ABOVE_BYTES && typeof CompressionStream === 'function') {
        init.body = await gzip(text);
        init.headers['Content-Encoding'] = 'gzip';
      } else {
        init.body = text;
      }
    }
    let response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, init);
    } catch (error) {
      throw new ApiError('network', { message: String(error?.message ?? error) });
    }
    return response;
  }

  async function readJson(response) {
    const type = response.headers.get('Content-Type') ?? '';
    if (!type.includes('json')) throw new ApiError('bad_reply', { status: response.status });
    try {
      return await response.json();
    } catch {
      throw new ApiError('bad_reply', { status: response.status });
    }
  }

  async function failure(response) {
    let error = null;
    try {
      error = (await readJson(response))?.error ?? null;
    } catch {
      // A proxy or portal page instead of ours: the status tells enough.
    }
    const fields = {
      status: response.status,
      code: error?.code ?? null,
      message: error?.message ?? '',
      details: error?.details ?? null,
    };
    if (response.status === 401) return new ApiError('auth', fields);
    if (!error) return new ApiError(response.status >= 500 ? 'server' : 'bad_reply', fields);
    return new ApiError(response.status >= 500 ? 'server' : 'rejected', fields);
  }

  async function json(method, path, options) {
    const response = await request(method, path, options);
    if (!response.ok) throw await failure(response);
    return readJson(response);
  }

  return {
    /** fn() -> {appVersion, queued}: sent with each assignments request. */
    reportClientWith(fn) {
      describeClient = fn;
    },

    async login(username, password, deviceName) {
      const body = await json('POST', '/auth/token', {
        auth: false,
        body: { username, password, device_name: deviceName },
      });
      if (typeof body?.token !== 'string' || !body.user) throw new ApiError('bad_reply');
      return body;
    },

    async logout() {
      const response = await request('DELETE', '/auth/token');
      if (!response.ok && response.status !== 401) throw await failure(response);
    },

    /** Returns null when unchanged (304), else {body, etag}. */
    async assignments(etag) {
      const headers = { ...(await reportHeaders()), ...(etag ? { 'If-None-Match': etag } : {}) };
      const response = await request('GET', '/me/assignments', { headers });
      if (response.status === 304) return null;
      if (!response.ok) throw await failure(response);
      const body = await readJson(response);
      if (!Array.isArray(body?.rounds)) throw new ApiError('bad_reply');
      return { body, etag: response.headers.get('ETag') };
    },

    async formVersion(id) {
      const body = await json('GET', `/form-versions/${encodeURIComponent(id)}`);
      if (!body || typeof body !== 'object') throw new ApiError('bad_reply');
      return body;
    },

    /** Sends one batch (with the client report, when given); returns uuid -> result, or throws. */
    async submit(submissions, report = null) {
      const headers = await reportHeaders(report);
      const body = await json('POST', '/submissions', { body: { submissions }, headers, compress: true });
      try {
        return readSyncReply(submissions.map((s) => s.uuid), body);
      } catch (error) {
        throw new ApiError('bad_reply', { message: error.message });
      }
    },
  };
}
