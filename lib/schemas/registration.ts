/** What administrators give to issue an initial access token for dynamic client registration (RFC 7591 3). */
import { z } from "zod";
import { dateTime } from "./common";

export const initialAccessTokenInput = z
  .object({
    description: z.string().max(200, "A description has at most 200 characters.").optional(),
    /** when it stops working; none: it never expires */
    expires_at: dateTime.optional(),
    /** how many clients it may register; none: any number */
    max_uses: z.number({ error: "Enter a whole number." }).int("Enter a whole number.").min(1, "Use at least 1.").max(100_000).optional(),
  })
  .strict();
export type InitialAccessTokenInput = z.infer<typeof initialAccessTokenInput>;
