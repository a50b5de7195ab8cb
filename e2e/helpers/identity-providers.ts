/**
 * The identity providers of the browser tests, written through the store the server reads
 * (sealed secrets and all): configuration files and the admin API do not describe providers yet.
 * The server sees them within about a second (the directory compares the store's change version).
 */
import { createDb } from "@/lib/db";
import { SecretBox } from "@/lib/oidc";
import { createPrismaIdentityProviderStore } from "@/lib/stores/prisma/identity-providers";
import type { IdentityProviderData } from "@/lib/auth/external/ports";
import { UPSTREAM_CLIENT_SECRET, e2eDatabaseUrl, e2eSecret, upstream } from "../../playwright.config";

const base: Omit<IdentityProviderData, "id" | "displayName"> = {
  type: "oidc",
  issuer: upstream,
  authorizationEndpoint: null,
  tokenEndpoint: null,
  userinfoEndpoint: null,
  tenant: null,
  clientId: "portcullis",
  clientSecret: UPSTREAM_CLIENT_SECRET,
  scope: null,
  enabled: true,
  claims: {},
  trustEmail: false,
  firstLogin: "create_or_link",
  emailDomains: [],
};

export const E2E_PROVIDERS: IdentityProviderData[] = [
  { ...base, id: "upstream", displayName: "Upstream SSO", emailDomains: ["corp.test"] },
  { ...base, id: "hidden", displayName: "Hidden IdP", enabled: false },
  { ...base, id: "github", displayName: "GitHub", type: "github", issuer: null },
];

/** Creates the providers that do not exist yet (the server's database is new at each run). */
export async function ensureProviders(): Promise<void> {
  const db = createDb(e2eDatabaseUrl);
  try {
    const store = createPrismaIdentityProviderStore(db, "sqlite", await SecretBox.fromSecret(e2eSecret, "upstream-secrets"));
    for (const p of E2E_PROVIDERS) if (!(await store.findProvider(p.id))) await store.createProvider(p);
  } finally {
    await db.$disconnect();
  }
}
