/** Binds a protocol endpoint to a Next route handler, with the process's runtime. */
import type { Endpoint } from "../oidc/routes";
import { getRuntime } from "../runtime";

export function protocolRoute(endpoint: Endpoint) {
  return async (req: Request): Promise<Response> => endpoint(req, (await getRuntime()).provider);
}
