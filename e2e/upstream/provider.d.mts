// Types of provider.mjs for the TypeScript tests.
export interface UpstreamProvider {
  issuer: string;
  tokenRequests(): number;
  close(): Promise<void>;
}
export function startUpstreamProvider(options: {
  port?: number;
  clients: Record<string, unknown>[];
  accounts: Record<string, Record<string, unknown>>;
  loginPath?: string;
}): Promise<UpstreamProvider>;
