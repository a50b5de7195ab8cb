import { handleExternalRoute } from "@/lib/auth/external";

export const dynamic = "force-dynamic";

/** start, callback/{provider} and continue of a sign-in through an external identity provider. */
export const GET = (req: Request) => handleExternalRoute(req);
/** link: the account page's form that links another login (CSRF token checked by the handshake). */
export const POST = (req: Request) => handleExternalRoute(req);
