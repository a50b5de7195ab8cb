/** Every problem the client schema can report lands on a field of the new-client form, in plain words. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clientAdminInput, clientFields } from "@/lib/schemas/client";
import { CLIENT_FORM_FIELDS, formField, formMessage, fromForm, type ClientFormValues } from "@/lib/schemas/client-form";
import { plainError } from "@/lib/schemas/messages";

const blank: ClientFormValues = {
  client_id: "",
  client_name: "",
  token_endpoint_auth_method: "none",
  grant_types: ["authorization_code"],
  redirect_uris: "",
  post_logout_redirect_uris: "",
  token_exchange_audiences: "",
  token_exchange_subject_clients: "",
  scope: "",
  require_pushed_authorization_requests: false,
  subject_type: "public",
  require_signed_request_object: false,
  backchannel_logout_session_required: false,
  frontchannel_logout_session_required: false,
  dpop_bound_access_tokens: false,
  portcullis: {
    kind: "spa",
    enabled: true,
    access_token_format: "jwt",
    access_token_lifetime: 3600,
    id_token_lifetime: 300,
    authorization_code_lifetime: 60,
    refresh_token_absolute_lifetime: 2592000,
    refresh_token_sliding_lifetime: 1296000,
    refresh_token_reuse_grace: 5,
    allow_offline_access: true,
    require_pkce: true,
    require_consent: true,
    allow_remember_consent: true,
    id_token_user_claims: true,
    require_mfa: false,
    pushed_request_lifetime: 60,
    device_code_lifetime: 600,
    device_poll_interval: 5,
    token_exchange: { impersonation: false, delegation: false, audiences: [], subject_clients: [] },
    profile: "default",
  },
};
const valid = { ...fromForm({ ...blank, client_id: "app", client_name: "App", redirect_uris: "https://app.example/cb" }) };

/** Inputs that break each field of the schema in each way it can break. */
function brokenInputs(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const shape = clientFields.omit({ client_secret: true, secrets: true }).shape;
  for (const key of Object.keys(shape)) for (const bad of [12345, "x", [], { a: 1 }, "", "a b#c", null]) out.push({ ...valid, [key]: bad });
  for (const key of Object.keys(valid.portcullis as object))
    for (const bad of ["x", -1, 0, 1e12, Number.NaN, 1.5])
      out.push({ ...valid, portcullis: { ...(valid.portcullis as object), [key]: bad } });
  for (const uris of [
    ["https://app.example/cb#frag"],
    ["not a url"],
    ["http://app.example/cb"],
    Array.from({ length: 51 }, (_, i) => `https://app.example/${i}`),
  ]) {
    out.push({ ...valid, redirect_uris: uris }, { ...valid, post_logout_redirect_uris: uris });
  }
  out.push(
    { ...valid, grant_types: ["client_credentials"] },
    { ...valid, token_endpoint_auth_method: "private_key_jwt" },
    { ...valid, redirect_uris: [] },
    { ...valid, surprise: true },
    { ...valid, portcullis: { ...(valid.portcullis as object), surprise: true } },
    { ...valid, client_id: "x".repeat(201), client_name: "y".repeat(201), scope: 'a"b' },
  );
  return out;
}

const issues = brokenInputs().flatMap((input) => {
  const parsed = clientAdminInput.safeParse(input, { error: plainError });
  return parsed.success ? [] : parsed.error.issues;
});

describe("the new-client form's field errors", () => {
  it("finds many problems to check", () => {
    expect(issues.length).toBeGreaterThan(100);
  });

  it("maps every problem path to a field the form shows, or to the top of the form", () => {
    const shown = new Set<string>([...CLIENT_FORM_FIELDS, "root"]);
    for (const issue of issues) {
      const field = formField(issue.path);
      expect(shown.has(field), issue.path.join(".")).toBe(true);
      // A problem with a field of the form shows beside that field, never only at the top.
      const named = issue.path.filter((p) => typeof p === "string").join(".");
      if ((CLIENT_FORM_FIELDS as readonly string[]).includes(named)) expect(field).toBe(named);
    }
    expect(formField(["redirect_uris", 0])).toBe("redirect_uris");
    expect(formField("redirect_uris[0]")).toBe("redirect_uris");
    expect(formField("portcullis.access_token_lifetime")).toBe("portcullis.access_token_lifetime");
    expect(formField(["jwks"])).toBe("token_endpoint_auth_method");
    expect(formField(["portcullis", "kind"])).toBe("root");
    expect(formMessage(["portcullis", "kind"], "Choose one of: web, spa, native, machine.")).toBe(
      "Kind: Choose one of: web, spa, native, machine.",
    );
  });

  it("has a place in the form for every field it maps to", () => {
    const source = (file: string) => readFileSync(path.resolve(import.meta.dirname, "../../components/admin", file), "utf8");
    for (const field of CLIENT_FORM_FIELDS) expect(source("client-form.tsx"), field).toContain(`"${field.replace(/^portcullis\./, "")}"`);
    // The top of the form (shared by every console form) shows the rest.
    expect(source("client-form.tsx")).toContain("<EntityForm");
    expect(source("entity-form.tsx")).toContain("e.root?.message");
  });

  it("says every problem in plain words", () => {
    for (const issue of issues)
      expect(issue.message, `${issue.path.join(".")}: ${issue.message}`).not.toMatch(
        /^(Invalid|Too (small|big)|Unrecognized|Expected)|expected .* to have/,
      );
  });

  it("says what is wrong with an empty name and a redirect URI with a fragment or without https", () => {
    const parsed = clientAdminInput.safeParse(
      fromForm({ ...blank, client_id: "app", redirect_uris: "https://app.example/cb#x\nhttp://app.example/cb" }),
      { error: plainError },
    );
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => [formField(i.path), i.message])).toEqual([
      ["client_name", "Enter a name."],
      ["redirect_uris", "Redirect URIs must not contain a fragment (#...)."],
      ["redirect_uris", "Redirect URIs must use https (or http on a loopback address)."],
    ]);
  });
});
