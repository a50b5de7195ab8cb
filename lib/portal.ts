/** What the public pages show about this server; pages call this, never the database. */
import { Paths } from "./oidc";
import { createMetadata } from "./oidc";
import { getRuntime } from "./runtime";

export interface PortalInfo {
  issuer: string;
  discoveryUrl: string;
  grantTypes: string[];
  scopes: string[];
}

export async function getPortalInfo(): Promise<PortalInfo> {
  const { provider } = await getRuntime();
  const metadata = await createMetadata(provider);
  return {
    issuer: provider.settings.issuer,
    discoveryUrl: provider.settings.issuer + Paths.discovery,
    grantTypes: metadata.grant_types_supported as string[],
    scopes: metadata.scopes_supported as string[],
  };
}
