/** Starts the built Portcullis (fast server or plain `next start`) on a free port for a test. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export type ServerMode = "fast" | "next";
export const serverModes: ServerMode[] = ["fast", "next"];

export interface RunningServer {
  issuer: string;
  output: () => string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export interface StartOptions {
  mode?: ServerMode;
  databaseUrl: string;
  config?: unknown;
  env?: Record<string, string>;
  /** resolve when the process exits instead of when it is ready */
  expectExit?: boolean;
}

const ROOT = path.resolve(import.meta.dirname, "../..");

export async function startServer(options: StartOptions): Promise<RunningServer & { exitCode?: number | null }> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "portcullis-data-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    PORTCULLIS_ISSUER: `http://localhost:${port}`,
    DATABASE_URL: options.databaseUrl,
    PORTCULLIS_SECRET: "integration-test-secret-integration-test-secret",
    PORTCULLIS_DATA_DIR: dataDir,
    PORTCULLIS_DEMO: "false",
    PORTCULLIS_CACHE_TTL: "1",
    ...options.env,
  };
  if (options.config !== undefined) {
    const file = path.join(dataDir, "config.json");
    writeFileSync(file, JSON.stringify(options.config));
    env.PORTCULLIS_IMPORT = file;
  }
  const args =
    (options.mode ?? "fast") === "fast"
      ? ["dist/server.mjs"]
      : ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  const base = { issuer: `http://localhost:${port}`, output: () => out, env, stop };
  if (options.expectExit) return { ...base, exitCode: await exited };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${base.issuer}/.well-known/openid-configuration`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return base;
}

/** Runs the portcullis CLI against a server's database and secret. */
export async function runCli(env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["bin/portcullis.mjs", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, stdout, stderr };
}

/**
 * Waits for a condition on a server's state, never for a span of time: a slow or busy machine
 * only makes it take longer. Fails after 30 s.
 */
export async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("the condition did not become true within 30 s");
    await new Promise((r) => setTimeout(r, 100));
  }
}
