/** An HTTP client for the agent console, as a browser would use it (cookies, the form's token). */

export interface SignInAttempt {
  response: Response;
  /** The session cookie (`agent_session=…`) when sign-in worked. */
  sessionCookie?: string;
}

/** `name=value` of a Set-Cookie header of the response. */
export function setCookie(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

export function cookiePair(header: string): string {
  return header.split(';')[0]!;
}

/** The sign-in form: its token (hidden field) and the cookie that goes with it. */
export async function signInForm(base: string, headers: Record<string, string> = {}): Promise<{ formToken: string; cookie: string; response: Response; html: string }> {
  const response = await fetch(`${base}/agent`, { headers });
  const html = await response.text();
  const formToken = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const cookie = cookiePair(setCookie(response, 'agent_signin') ?? '');
  return { formToken, cookie, response, html };
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export async function signIn(base: string, email: string, password: string, headers: Record<string, string> = {}): Promise<SignInAttempt> {
  const form = await signInForm(base, headers);
  const response = await fetch(`${base}/agent/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
    body: formBody({ csrf: form.formToken, email, password }),
  });
  const session = setCookie(response, 'agent_session');
  return { response, sessionCookie: response.status === 303 && session ? cookiePair(session) : undefined };
}

/** A signed-in agent for the JSON API: the session cookie and the CSRF token. */
export interface AgentClient {
  cookie: string;
  csrf: string;
  get(path: string): Promise<Response>;
  post(path: string, body?: unknown, withCsrf?: boolean): Promise<Response>;
}

export async function signedInClient(base: string, email: string, password: string, headers: Record<string, string> = {}): Promise<AgentClient> {
  const { response, sessionCookie } = await signIn(base, email, password, headers);
  if (!sessionCookie) throw new Error(`sign-in failed: ${response.status}`);
  const session = (await (await fetch(`${base}/agent/api/session`, { headers: { ...headers, cookie: sessionCookie } })).json()) as { csrfToken: string };
  return {
    cookie: sessionCookie,
    csrf: session.csrfToken,
    get: (path) => fetch(`${base}${path}`, { headers: { ...headers, cookie: sessionCookie } }),
    post: (path, body = {}, withCsrf = true) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...headers, cookie: sessionCookie, 'content-type': 'application/json', ...(withCsrf ? { 'x-csrf-token': session.csrfToken } : {}) },
        body: JSON.stringify(body),
      }),
  };
}
