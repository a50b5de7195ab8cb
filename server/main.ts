/**
 * The production server (`npm start`): machine-facing protocol endpoints go straight to the
 * framework-free handlers in lib/oidc through a thin Web Request/Response bridge; everything
 * else goes to Next. The Next route handlers call the very same functions, so `next dev` and
 * any Next deployment behave the same, only slower.
 */
import { createServer } from "node:http";
import path from "node:path";
import { getRequestListener } from "@hono/node-server";
import next from "next";
import { isProtocolPath, publicDocuments, routeProtocol } from "../lib/oidc";
import { protocolSecurityHeaders } from "../lib/oidc";
import { setRuntime, startRuntime } from "../lib/runtime";
import { decideClientAddress } from "../lib/server/client-ip";
import { routerFetchAnswer, validRouterState } from "../lib/server/router-fetch";

async function main(): Promise<void> {
  const runtime = await startRuntime();
  setRuntime(runtime);
  const { PORT: port, HOSTNAME: hostname } = runtime.env;

  const app = next({ dev: false, dir: path.resolve("."), hostname, port });
  await app.prepare();
  const nextHandler = app.getRequestHandler();

  const protocol = getRequestListener(async (req) => {
    const pathname = new URL(req.url).pathname;
    return (
      routerFetchAnswer(req, pathname, runtime.env.issuer) ??
      (await routeProtocol(req, runtime.provider, pathname, { clientIp: req.headers.get("x-forwarded-for") ?? undefined }))!
    );
  });
  const documentHeaders = protocolSecurityHeaders(runtime.env.issuer);

  const trustProxy = runtime.env.PORTCULLIS_TRUST_PROXY;
  const server = createServer((req, res) => {
    // One decision per request (lib/server/client-ip.ts); Next and the protocol core read it back.
    const ip = decideClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustProxy);
    if (ip) req.headers["x-forwarded-for"] = ip;
    else delete req.headers["x-forwarded-for"];
    const pathname = (req.url ?? "/").split("?")[0]!;
    const doc = req.method === "GET" || req.method === "HEAD" ? publicDocuments[pathname] : undefined;
    if (doc) {
      // Discovery and JWKS: the serialized document straight to the socket, no Request/Response.
      doc(runtime.provider).then(
        (d) => {
          res.writeHead(200, { ...d.headers, ...documentHeaders });
          res.end(req.method === "HEAD" ? undefined : d.body);
        },
        () => void protocol(req, res),
      );
    } else if (isProtocolPath(pathname)) void protocol(req, res);
    else if (!validRouterState(req.headers["next-router-state-tree"])) {
      res.writeHead(400, { ...documentHeaders, "Content-Type": "text/plain; charset=utf-8" });
      res.end("Bad Request: malformed Next-Router-State-Tree header\n");
    } else void nextHandler(req, res);
  });
  server.listen(port, hostname, () => console.log(`[portcullis] ready on ${runtime.env.issuer} (listening on ${hostname}:${port})`));

  const stop = () => server.close(() => void runtime.close().then(() => process.exit(0)));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err: unknown) => {
  console.error(`[portcullis] failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
