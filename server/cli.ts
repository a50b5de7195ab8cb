/**
 * `npx portcullis <command>`:
 *   import FILE            load clients, resources and users from a configuration file
 *   export [FILE]          write the configuration (secrets as hashes) to FILE or stdout
 *   keys list              the signing keys and their states
 *   keys rotate [--now]    publish the next keys; they sign after PORTCULLIS_KEY_ACTIVATION_DELAY
 *                          (--now: at once, for a compromised key)
 *   schema                 print the configuration file's JSON Schema
 *   sweep                  delete expired rows once (the server does it every PORTCULLIS_SWEEP_INTERVAL)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { ConfigImportError, exportConfig, importConfig } from "../lib/admin/config-transfer";
import { startRuntime, type Runtime } from "../lib/runtime";
import { configFileJsonSchema } from "../lib/schemas/config-file";

const USAGE = "usage: portcullis import FILE | export [FILE] | keys list | keys rotate [--now] | schema | sweep";

async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await startRuntime({ bare: true, print: (line) => console.error(line) });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

function printKeys(keys: Awaited<ReturnType<Runtime["provider"]["keys"]["describe"]>>): void {
  const rows = keys.map((k) => [
    k.alg,
    String(k.generation),
    k.kid,
    k.state,
    k.activatesAt.toISOString(),
    k.removedAt?.toISOString() ?? "-",
  ]);
  const header = ["alg", "gen", "kid", "state", "signs from", "leaves jwks"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join("  "));
}

async function main(args: string[]): Promise<number> {
  const [command, sub, ...rest] = args;
  switch (command) {
    case "import": {
      if (!sub) break;
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(sub, "utf8"));
      } catch (err) {
        console.error(`cannot read ${sub}: ${err instanceof Error ? err.message : String(err)}`);
        return 1;
      }
      return withRuntime(async (rt) => {
        try {
          const s = await importConfig(rt.config, raw);
          console.log(`imported ${sub}: ${s.created} created, ${s.updated} updated`);
          return 0;
        } catch (err) {
          if (!(err instanceof ConfigImportError)) throw err;
          console.error(err.message);
          return 1;
        }
      });
    }
    case "export":
      return withRuntime(async (rt) => {
        const text = JSON.stringify({ $schema: "./portcullis.schema.json", ...(await exportConfig(rt.config)) }, null, 2) + "\n";
        if (sub) writeFileSync(sub, text, { mode: 0o600 });
        else process.stdout.write(text);
        return 0;
      });
    case "keys":
      if (sub === "list")
        return withRuntime(async (rt) => {
          printKeys(await rt.provider.keys.describe());
          return 0;
        });
      if (sub === "rotate") {
        return withRuntime(async (rt) => {
          printKeys(await rt.provider.keys.rotate({ immediately: rest.includes("--now") }));
          return 0;
        });
      }
      break;
    case "schema":
      console.log(JSON.stringify(configFileJsonSchema(), null, 2));
      return 0;
    case "sweep":
      return withRuntime(async (rt) => {
        const counts = await rt.sweeper.sweep();
        if (!counts) {
          console.log("another instance is sweeping: nothing done");
          return 0;
        }
        console.log(
          Object.entries(counts)
            .map(([k, n]) => `${k}: ${n} deleted`)
            .join("\n"),
        );
        return 0;
      });
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`portcullis: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
