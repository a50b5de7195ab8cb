import type { ProviderContext } from "../context";
import { toOAuthError } from "../errors";
import { errorResponse, type ChallengeScheme } from "../http";

/** Runs an endpoint; whatever it throws becomes the spec's error response, never a stack trace. */
export async function respond(
  ctx: ProviderContext,
  endpoint: string,
  run: () => Promise<Response>,
  scheme: ChallengeScheme = "Basic",
): Promise<Response> {
  try {
    return await run();
  } catch (thrown) {
    const err = toOAuthError(thrown);
    if (err.status >= 500) ctx.log.error(`${endpoint} failed`, { detail: err.detail });
    else if (err.detail) ctx.log.warn(`${endpoint}: ${err.error}`, { description: err.description, detail: err.detail });
    return errorResponse(err, scheme);
  }
}
