import { revoke } from "@/lib/oidc";
import { protocolRoute } from "@/lib/next/protocol-route";

export const POST = protocolRoute(revoke);
