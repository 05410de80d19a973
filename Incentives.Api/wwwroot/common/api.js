// A thin fetch wrapper: JSON in, JSON out, and RFC 9457 problems turned into a message in the page's language.
// onUnauthorized (optional) hears every 401's problem: the staff desk goes back to its sign-in form.
export class Api {
  constructor(headers, onUnauthorized) { this.headers = headers; this.onUnauthorized = onUnauthorized; }

  async call(method, path, body, extraHeaders = {}) {
    const response = await fetch(`/api/v1${path}`, {
      method,
      // The staff session is an HttpOnly cookie: sent with our own requests only (SameSite=Strict on the server).
      credentials: 'same-origin',
      headers: { ...this.headers(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...extraHeaders },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const type = response.headers.get('content-type') ?? '';
    const data = type.includes('json') ? await response.json() : await response.text();
    if (response.status === 401 && this.onUnauthorized) this.onUnauthorized(data);
    return { ok: response.ok, status: response.status, data };
  }

  get(path) { return this.call('GET', path); }
  post(path, body, headers) { return this.call('POST', path, body ?? {}, headers); }
  del(path) { return this.call('DELETE', path); }
}

export function problemText(problem, lang) {
  if (!problem || typeof problem !== 'object') return String(problem ?? '');
  return (lang === 'zh' ? problem.messageZh : null) ?? problem.detail ?? problem.title ?? '';
}

export const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
