/** Under `next start` / `next dev` the runtime (migrations, keys, seed, import) starts with the server. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getRuntime } = await import("./lib/runtime");
  await getRuntime();
}
