import { Paths } from "@/lib/oidc";
import { protocolRoute } from "@/lib/next/protocol-route";

export const dynamic = "force-dynamic";
export const { GET, POST, OPTIONS } = protocolRoute(Paths.frontchannelLogout);
