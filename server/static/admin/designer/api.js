// The draft API (/api/v1/form-drafts/<id>) over fetch() with the login cookie; writes carry
// the page's CSRF token. Errors come back as ApiError with the server's code and messages.

export class ApiError extends Error {
  constructor(status, code, message, details = {}) {
    super(message.en || message.vi);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.messages = message;
    this.details = details;
  }

  /** Worth trying again later: no connection, or the server busy or failing. */
  get transient() {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

async function errorOf(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: a proxy's page, a login page
  }
  const error = body?.error;
  if (!error) {
    return new ApiError(response.status, "http_" + response.status, {
      vi: `Máy chủ trả lời ${response.status}.`, en: `The server answered ${response.status}.`,
    });
  }
  const details = error.details && typeof error.details === "object" ? error.details : {};
  return new ApiError(response.status, error.code, { vi: error.message, en: details.message_en || error.message }, details);
}

export function createApi(base, { csrfToken = "", fetchImpl = (...args) => globalThis.fetch(...args) } = {}) {
  async function request(method, path = "", body = undefined) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRF-Token"] = csrfToken;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetchImpl(base + path, {
        method, headers, credentials: "same-origin", cache: "no-store",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, "network", { vi: "Mất kết nối tới máy chủ.", en: "No connection to the server." });
    }
    // A redirect to the login page (an ended session) is not our JSON.
    const type = response.headers.get("Content-Type") || "";
    if (response.ok && !type.includes("json")) {
      throw new ApiError(401, "signed_out", { vi: "Phiên đăng nhập đã hết. Hãy đăng nhập lại.", en: "Your session has ended. Log in again." });
    }
    if (!response.ok) throw await errorOf(response);
    return response.json();
  }

  return {
    load: () => request("GET"),
    save: (revision, definition) => request("PUT", "", { revision, definition }),
    validate: () => request("POST", "/validate"),
    changes: () => request("GET", "/changes"),
  };
}
