import { handleExternalRoute } from "@/lib/auth/external";

export const dynamic = "force-dynamic";

/** start, callback/{provider} and continue of a sign-in through an external identity provider. */
export const GET = (req: Request) => handleExternalRoute(req);
