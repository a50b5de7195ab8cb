import { Paths } from "@/lib/oidc/constants";
import { protocolRoute } from "@/lib/next/protocol-route";

export const dynamic = "force-dynamic";
export const { GET, POST, OPTIONS } = protocolRoute(Paths.authorizeResume);
