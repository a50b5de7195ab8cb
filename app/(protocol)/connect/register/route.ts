import { Paths } from "@/lib/oidc";
import { protocolRoute } from "@/lib/next/protocol-route";

export const dynamic = "force-dynamic";
export const { POST, OPTIONS } = protocolRoute(Paths.registration);
