/** The signing keys as the console shows them, and rotation on an admin's request (audited). */
import type { KeyManager } from "../oidc";
import type { AuditSink } from "../oidc";
import type { Authorize, Principal } from "./access";

export function createKeyAdmin(keys: KeyManager, audit: AuditSink, authorize: Authorize) {
  return {
    async list(principal: Principal) {
      await authorize(principal);
      return keys.describe();
    },
    async rotate(principal: Principal) {
      const actor = await authorize(principal);
      const result = await keys.rotate();
      await audit.record({ type: "admin.keys_rotated", actor: actor.name });
      return result;
    },
  };
}

export type KeyAdmin = ReturnType<typeof createKeyAdmin>;
