/**
 * A browser without JavaScript for integration tests: a cookie jar, redirects followed by hand,
 * and the portal's forms submitted as a browser submits them (server actions accept a plain
 * multipart form post carrying their hidden $ACTION_ID_ field).
 */
import { createHash, randomBytes } from "node:crypto";

export interface Page {
  status: number;
  location: string | null;
  body: string;
  headers: Headers;
}

export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** One request, no redirect followed. */
  async request(path: string, init: RequestInit = {}): Promise<Page> {
    const url = new URL(path, this.base);
    const headers = new Headers(init.headers);
    if (url.origin === new URL(this.base).origin && this.cookies.size) headers.set("cookie", this.cookieHeader());
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const i = pair!.indexOf("=");
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, location: res.headers.get("location"), body: await res.text(), headers: res.headers };
  }

  /** GET, following same-site redirects; stops at the first redirect elsewhere. */
  async visit(path: string): Promise<Page & { url: string }> {
    let url = new URL(path, this.base).toString();
    for (let i = 0; i < 10; i++) {
      const page = await this.request(url);
      if (page.status < 300 || page.status >= 400 || !page.location) return { ...page, url };
      const next = new URL(page.location, url);
      if (next.origin !== new URL(this.base).origin) return { ...page, url };
      url = next.toString();
    }
    throw new Error(`too many redirects from ${path}`);
  }

  /** Submits the page's first form with `values` over its own fields; answers the redirect. */
  async submit(page: { body: string; url: string }, values: Record<string, string>): Promise<Page> {
    const form = /<form\b[^>]*>([\s\S]*?)<\/form>/.exec(page.body);
    if (!form) throw new Error(`no form on ${page.url}:\n${page.body.slice(0, 500)}`);
    const data = new FormData();
    for (const [name, value] of Object.entries({ ...hiddenFields(form[1]!), ...values })) data.append(name, value);
    return this.request(page.url, { method: "POST", body: data, headers: { origin: new URL(this.base).origin } });
  }

  /** Signs in on the account page; throws unless a session was started. */
  async signIn(login: string, password: string): Promise<void> {
    const page = await this.visit("/account");
    const result = await this.submit(page, { login, password });
    if (!this.cookies.has("portcullis.session")) throw new Error(`sign-in as ${login} failed: ${result.status} ${result.location}`);
  }

  /**
   * The authorization code flow of a public client (PKCE), signing in on the way when needed;
   * returns the token response. The client must not ask for consent.
   */
  async authorizationCode(o: {
    clientId: string;
    redirectUri: string;
    scope: string;
    login: string;
    password: string;
  }): Promise<{ access_token: string; [k: string]: unknown }> {
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const params = new URLSearchParams({
      response_type: "code",
      client_id: o.clientId,
      redirect_uri: o.redirectUri,
      scope: o.scope,
      state: "s1",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    let page = await this.visit(`/connect/authorize?${params}`);
    if (page.status === 200 && page.body.includes('name="password"')) {
      const posted = await this.submit(page, { login: o.login, password: o.password });
      if (!posted.location) throw new Error(`sign-in failed: ${posted.status}`);
      page = await this.visit(new URL(posted.location, page.url).toString());
    }
    const location = page.location ?? "";
    if (!location.startsWith(o.redirectUri))
      throw new Error(`no redirect to the client: ${page.status} ${location}\n${page.body.slice(0, 300)}`);
    const code = new URL(location).searchParams.get("code");
    const res = await fetch(new URL("/connect/token", this.base), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: code!,
        redirect_uri: o.redirectUri,
        client_id: o.clientId,
        code_verifier: verifier,
      }),
    });
    const body = (await res.json()) as { access_token: string };
    if (res.status !== 200) throw new Error(`token endpoint: ${res.status} ${JSON.stringify(body)}`);
    return body;
  }
}

function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input\b[^>]*>/g)) {
    const tag = m[0];
    const name = /\bname="([^"]*)"/.exec(tag)?.[1];
    if (!name || !/\btype="hidden"/.test(tag)) continue;
    fields[decode(name)] = decode(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? "");
  }
  return fields;
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
