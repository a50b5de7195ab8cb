/** The console's identity provider form in the API's shape, checked by the API's own schemas. */
import { expect, it } from "vitest";
import { identityProviderInput, identityProviderReplace } from "@/lib/schemas/identity-provider";
import { emptyProviderForm, providerFormField, providerFromForm, providerToForm } from "@/lib/schemas/identity-provider-form";

it("sends only the fields the type shows, trimmed; empty optional fields are left out", () => {
  const values = {
    ...emptyProviderForm("google", "Google"),
    id: " google ",
    client_id: "1234.apps",
    // left over from another type: never sent
    issuer: "https://left.over",
    authorization_endpoint: "https://left.over/auth",
    claims: [
      { local: "nickname", upstream: "given_name" },
      { local: "", upstream: "" },
    ],
    email_domains: "Example.com, corp.example\nother.example",
  };
  const wire = providerFromForm(values);
  expect(wire).toEqual({
    id: "google",
    display_name: "Google",
    type: "google",
    client_id: "1234.apps",
    enabled: true,
    claims: { nickname: "given_name" },
    trust_email: false,
    first_login: "create_or_link",
    email_domains: ["Example.com", "corp.example", "other.example"],
  });
  expect(identityProviderInput.safeParse(wire).success).toBe(true);
});

it("keeps the secret when empty, sets a typed one, removes it with the checkbox (edit)", () => {
  const base = { ...emptyProviderForm("oidc"), id: "corp", display_name: "Corp", issuer: "https://sso.corp.example", client_id: "c" };
  expect(providerFromForm(base)).not.toHaveProperty("client_secret");
  expect(providerFromForm({ ...base, client_secret: "s3cret" }).client_secret).toBe("s3cret");
  const removed = providerFromForm({ ...base, client_secret: "ignored", remove_secret: true });
  expect(removed.client_secret).toBeNull();
  expect(identityProviderReplace.safeParse(removed).success).toBe(true);
  expect(identityProviderInput.safeParse(removed).success).toBe(false);
});

it("round-trips a stored provider and puts each problem at its field", () => {
  const view = {
    id: "corp",
    display_name: "Corp",
    type: "oidc" as const,
    issuer: "https://sso.corp.example",
    client_id: "c",
    scope: "openid email",
    enabled: false,
    claims: { sub: "oid" },
    trust_email: true,
    first_login: "link" as const,
    email_domains: ["corp.example"],
    callback_url: "https://id.example/interaction/external/callback/corp",
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: "2026-01-01T00:00:00.000Z",
  };
  const { callback_url: _c, created_at: _a, updated_at: _u, ...wire } = view;
  expect(providerFromForm(providerToForm(view))).toEqual(wire);
  const bad = identityProviderInput.safeParse(providerFromForm({ ...providerToForm(view), claims: [{ local: "", upstream: "x y" }] }));
  expect(bad.success).toBe(false);
  expect(new Set(bad.error!.issues.map((i) => providerFormField(i.path)))).toEqual(new Set(["claims"]));
  expect(providerFormField("email_domains[1]")).toBe("email_domains");
  expect(providerFormField("unknown")).toBe("root");
});
