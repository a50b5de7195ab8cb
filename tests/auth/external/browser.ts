/**
 * A browser for the tests: fetch with a cookie jar (RFC 6265: cookies belong to the host name,
 * not the port, and to a path) that follows redirects one hop at a time.
 */
interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
  expires: number;
}

/** An origin served in-process (Portcullis's handlers called directly) instead of over HTTP. */
export interface LocalOrigin {
  origin: string;
  handle(req: Request): Promise<Response>;
}

export class Browser {
  cookies: StoredCookie[] = [];

  constructor(private readonly local?: LocalOrigin) {}

  private store(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";").map((s) => s.trim());
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      let path = url.pathname.replace(/\/[^/]*$/, "") || "/";
      let expires = Infinity;
      for (const a of attrs) {
        const [k, v = ""] = a.split("=");
        const key = k!.toLowerCase();
        if (key === "path") path = v || "/";
        if (key === "max-age") expires = Date.now() + Number(v) * 1000;
        if (key === "expires" && expires === Infinity) expires = Date.parse(v);
      }
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.host === url.hostname && c.path === path));
      if (expires > Date.now() && value !== "") this.cookies.push({ name, value, host: url.hostname, path, expires });
    }
  }

  cookie(name: string): string | undefined {
    return this.cookies.find((c) => c.name === name)?.value;
  }

  header(url: URL): string {
    return this.cookies
      .filter(
        (c) =>
          c.host === url.hostname &&
          (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith("/") ? c.path : c.path + "/")) &&
          c.expires > Date.now(),
      )
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
  }

  /** One request, no redirect followed. */
  async get(target: string | URL): Promise<Response> {
    const url = new URL(target);
    const headers = { cookie: this.header(url) };
    const res =
      this.local && url.origin === this.local.origin
        ? await this.local.handle(new Request(url, { headers }))
        : await fetch(url, { redirect: "manual", headers });
    this.store(url, res);
    return res;
  }

  /** One form POST (application/x-www-form-urlencoded), no redirect followed. */
  async post(target: string | URL, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const url = new URL(target);
    const init = {
      method: "POST",
      headers: { ...headers, cookie: this.header(url), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    };
    const res =
      this.local && url.origin === this.local.origin
        ? await this.local.handle(new Request(url, init))
        : await fetch(url, { ...init, redirect: "manual" });
    this.store(url, res);
    return res;
  }

  /** Sets a cookie as if `url` had sent it (Path=/). */
  setCookie(url: string | URL, name: string, value: string): void {
    const host = new URL(url).hostname;
    this.cookies = this.cookies.filter((c) => !(c.name === name && c.host === host && c.path === "/"));
    this.cookies.push({ name, value, host, path: "/", expires: Infinity });
  }

  /**
   * Follows redirects from `target` until `stop` says so (or a non-redirect answer). Returns the
   * last URL reached and its response (the response to that URL is not fetched when stop is true).
   */
  async follow(
    target: string | URL,
    stop: (url: URL) => boolean = () => false,
    max = 20,
  ): Promise<{ url: URL; res: Response | null; visited: URL[] }> {
    let url = new URL(target);
    const visited: URL[] = [];
    for (let i = 0; i < max; i++) {
      visited.push(url);
      if (stop(url)) return { url, res: null, visited };
      const res = await this.get(url);
      const location = res.headers.get("location");
      if (res.status < 300 || res.status >= 400 || !location) return { url, res, visited };
      await res.arrayBuffer();
      url = new URL(location, url);
    }
    throw new Error(`too many redirects from ${target}`);
  }
}
