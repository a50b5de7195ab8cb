/**
 * The login page's side of external sign-in (Next layer): the buttons, home realm discovery, the
 * messages of a sign-in that came back, and the password proof that links an existing account.
 */
import { cookies } from "next/headers";
import {
  FLOW_COOKIE,
  FLOW_COOKIE_PATH,
  externalErrorMessage,
  externalSignInUrl,
  hasHomeRealms,
  linkAfterPasswordProof,
  loginProviders,
  pendingLinkEmail,
  providerForEmail,
  type LoginProvider,
} from "../auth/external";
import { sessionFromHandle } from "../oidc";
import { getRuntime } from "../runtime";

export const LINK_NOTICE = "An account with this email exists: enter its password to link it.";

export interface ExternalButton extends LoginProvider {
  href: string;
}

export interface ExternalLoginView {
  buttons: ExternalButton[];
  /** some provider claims email domains: the password may stay empty until the email is known */
  homeRealms: boolean;
  /** the sentence for ?external_error= */
  error?: string;
  /** a link waiting for the local password: its handle and the email to prefill */
  pendingLink?: { handle: string; email: string };
  /** the authorization request named an enabled provider (acr_values idp:<id>): go there at once */
  direct?: string;
}

export async function externalLoginView(
  interaction: string,
  params: { external_error?: string; external_link?: string; idpHint?: string },
): Promise<ExternalLoginView> {
  const buttons = (await loginProviders()).map((p) => ({ ...p, href: externalSignInUrl(p.id, interaction) }));
  let error = externalErrorMessage(params.external_error);
  let pendingLink: ExternalLoginView["pendingLink"];
  if (params.external_link) {
    const handle = params.external_link.slice(0, 100);
    const email = await pendingLinkEmail({ pendingLink: handle, interaction, flowCookie: await flowCookie() });
    if (email) pendingLink = { handle, email };
    else error ??= externalErrorMessage("bad_state");
  }
  // Only on a first visit: after an upstream failure or for a waiting link the page itself is wanted.
  const direct = !error && !pendingLink && params.idpHint ? buttons.find((b) => b.id === params.idpHint)?.href : undefined;
  return { buttons, homeRealms: await hasHomeRealms(), error, pendingLink, direct };
}

/** Home realm discovery: where to send a browser whose typed login is an email of a provider's domain. */
export async function homeRealmUrl(login: string, interaction: string): Promise<string | null> {
  if (!login.includes("@")) return null;
  const provider = await providerForEmail(login.slice(0, 254));
  return provider ? externalSignInUrl(provider.id, interaction) : null;
}

/**
 * The `afterSignIn` of the password proof: links the waiting upstream identity to the user whose
 * password was just given. Returns the external error code when the link is refused, else null.
 */
export async function linkProvenAccount(pendingLink: string, interaction: string, handle: string): Promise<string | null> {
  const { provider } = await getRuntime();
  const proven = await sessionFromHandle(provider, handle);
  if (!proven) return "server_error";
  const outcome = await linkAfterPasswordProof({ pendingLink, provenUserId: proven.user.id, interaction, flowCookie: await flowCookie() });
  (await cookies()).delete({ name: FLOW_COOKIE, path: FLOW_COOKIE_PATH });
  return outcome.kind === "signed_in" ? null : outcome.kind === "refused" ? outcome.code : "server_error";
}

async function flowCookie(): Promise<string | undefined> {
  return (await cookies()).get(FLOW_COOKIE)?.value;
}
