/** Under `next start` / `next dev` the runtime (migrations, keys, seed, import) starts with the server. */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is set by Next itself (which runtime loads this file), not Portcullis configuration.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getRuntime } = await import("./lib/runtime");
  await getRuntime();
}
