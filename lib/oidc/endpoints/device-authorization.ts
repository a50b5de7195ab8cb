/**
 * The device authorization endpoint (RFC 8628 3.1, 3.2): a device without a browser asks for a
 * device_code to poll with and a user_code the user enters on another device.
 *
 * Rules:
 * - the client authenticates as at the token endpoint (public clients with client_id alone) and
 *   must be allowed the device_code grant type (unauthorized_client);
 * - scope and resource follow the authorization endpoint's rules (checks/authorize-request.ts
 *   checkScopes): identity scopes the client is allowed, offline_access only with
 *   allow_offline_access, API scopes and resources as at the token endpoint;
 * - the answer (200, no-store) carries device_code, user_code (XXXX-XXXX), verification_uri,
 *   verification_uri_complete, expires_in (the client's device_code_lifetime) and interval (its
 *   device_poll_interval);
 * - only hashes of both codes are stored; the device code record points at the user code record,
 *   where the verification page records the user's decision once (device/verification.ts).
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.1
 */
import { checkScopes } from "../checks/authorize-request";
import { authenticateClient } from "../client-auth/authenticate";
import { readCredentials } from "../client-auth/credentials";
import { GrantRecordType, GrantType } from "../constants";
import type { ProviderContext } from "../context";
import { randomHandle } from "../crypto";
import { formatUserCode, generateUserCode } from "../device/user-code";
import { oauthError } from "../errors";
import { jsonNoStore, param, readForm } from "../http";
import { recordKey, saveRecord } from "../records";
import { respond } from "./respond";

/** A second user code is drawn when the first is taken (1 in 25 billion per live code). */
const USER_CODE_ATTEMPTS = 3;

/** @see https://www.rfc-editor.org/rfc/rfc8628#section-3.2 */
export function deviceAuthorization(req: Request, ctx: ProviderContext): Promise<Response> {
  return respond(ctx, "device_authorization", async () => {
    const form = await readForm(req, ["resource"]);
    const client = await authenticateClient(ctx, readCredentials(req, form), "token.client");
    if (!client.grantTypes.includes(GrantType.deviceCode))
      throw oauthError.unauthorizedClient("the device authorization grant is not allowed for this client");
    const scopes = [...new Set((param(form, "scope") ?? "").split(" ").filter(Boolean))];
    const resources = form.get("resource") ?? [];
    await checkScopes(ctx, client, scopes, resources);

    const now = ctx.now();
    const expiresAt = new Date(now + client.deviceCodeLifetime * 1000);
    const deviceCode = randomHandle(32);
    const deviceKey = await recordKey.deviceCode(ctx, deviceCode);
    const userCode = await saveUserCode(ctx, async (code) => {
      const key = await recordKey.userCode(ctx, code);
      await saveRecord(ctx, {
        key,
        type: GrantRecordType.userCode,
        clientId: client.clientId,
        subjectId: null,
        familyId: null,
        data: { deviceKey, scopes, resources },
        expiresAt,
        consumedAt: null,
      });
      return key;
    });
    await saveRecord(ctx, {
      key: deviceKey,
      type: GrantRecordType.deviceCode,
      clientId: client.clientId,
      subjectId: null,
      familyId: null,
      data: { userCodeKey: userCode.key },
      expiresAt,
      consumedAt: null,
      pollInterval: client.devicePollInterval,
    });
    const shown = formatUserCode(userCode.code);
    return jsonNoStore({
      device_code: deviceCode,
      user_code: shown,
      verification_uri: ctx.urls.deviceVerification,
      verification_uri_complete: `${ctx.urls.deviceVerification}?${new URLSearchParams({ user_code: shown })}`,
      expires_in: client.deviceCodeLifetime,
      interval: client.devicePollInterval,
    });
  });
}

/** Saves a fresh user code, drawing another when one is taken (the key is unique). */
async function saveUserCode(ctx: ProviderContext, save: (code: string) => Promise<string>): Promise<{ code: string; key: string }> {
  for (let attempt = 1; ; attempt++) {
    const code = generateUserCode();
    try {
      return { code, key: await save(code) };
    } catch (err) {
      if (attempt >= USER_CODE_ATTEMPTS) throw err;
      ctx.log.warn("device_authorization: user code taken, drawing another");
    }
  }
}
