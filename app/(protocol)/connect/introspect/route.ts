import { introspect } from "@/lib/oidc";
import { protocolRoute } from "@/lib/next/protocol-route";

export const POST = protocolRoute(introspect);
