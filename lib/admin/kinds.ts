/** The kinds of client the console's "new client" flow offers, with the defaults each gets. */
export const CLIENT_KINDS = {
  web: { label: "Web app with a server", help: "Confidential: signs users in with code + PKCE and keeps a secret on the server.", auth: "client_secret_basic", grants: ["authorization_code", "refresh_token"], scope: "openid profile email" },
  spa: { label: "Single-page app", help: "Public: runs in the browser, no secret; code + PKCE.", auth: "none", grants: ["authorization_code", "refresh_token"], scope: "openid profile email" },
  native: { label: "Native or mobile app", help: "Public: no secret; code + PKCE with a loopback or private-use redirect URI.", auth: "none", grants: ["authorization_code", "refresh_token"], scope: "openid profile email" },
  machine: { label: "Machine to machine", help: "Confidential: a daemon or job gets tokens with client credentials.", auth: "client_secret_basic", grants: ["client_credentials"], scope: "" },
} as const;
export type ClientKind = keyof typeof CLIENT_KINDS;
