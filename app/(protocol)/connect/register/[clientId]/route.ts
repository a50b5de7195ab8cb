import { protocolRoute } from "@/lib/next/protocol-route";

export const dynamic = "force-dynamic";
// RFC 7592: the registration_client_uri of one client; the core reads the client_id from the path.
export const { GET, PUT, DELETE, OPTIONS } = protocolRoute();
