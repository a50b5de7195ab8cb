import { describe, expect, it } from "vitest";
import { readForm, MAX_BODY_BYTES } from "@/lib/oidc/http";
import { errorDescription, isOAuthError, oauthError, type OAuthError } from "@/lib/oidc/errors";

const post = (body: string, type = "application/x-www-form-urlencoded") =>
  new Request("https://id.example.test/connect/token", { method: "POST", headers: { "content-type": type }, body });

async function rejection(p: Promise<unknown>): Promise<OAuthError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isOAuthError(err) && err.error).toBe("invalid_request");
  return err as OAuthError;
}

describe("readForm", () => {
  it("reads form parameters, decoding + and percent escapes", async () => {
    const form = await readForm(post("grant_type=client_credentials&scope=a+b%20c"));
    expect(form.get("grant_type")).toEqual(["client_credentials"]);
    expect(form.get("scope")).toEqual(["a b c"]);
  });

  it("accepts a charset on the content type", async () => {
    const form = await readForm(post("a=1", "application/x-www-form-urlencoded; charset=UTF-8"));
    expect(form.get("a")).toEqual(["1"]);
  });

  it("rejects other content types", async () => {
    const err = await rejection(readForm(post('{"grant_type":"client_credentials"}', "application/json")));
    expect(err.description).toBe("only application/x-www-form-urlencoded content-type bodies are supported");
  });

  it("rejects a repeated parameter but lets listed ones repeat", async () => {
    const err = await rejection(readForm(post("grant_type=a&grant_type=b")));
    expect(err.description).toBe("'grant_type' parameter must not be provided twice");
    const form = await readForm(post("resource=https://a&resource=https://b"), ["resource"]);
    expect(form.get("resource")).toEqual(["https://a", "https://b"]);
  });

  it("rejects a value over its length limit", async () => {
    const err = await rejection(readForm(post("scope=" + "a".repeat(2049))));
    expect(err.description).toBe("'scope' parameter is too long");
  });

  it("rejects a body over the size limit, streamed without a length", async () => {
    const big = "x=" + "a".repeat(MAX_BODY_BYTES);
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const req = new Request("https://id.example.test/t", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const err = await rejection(readForm(req));
    expect(err.description).toBe("request body is too large");
  });

  it("rejects malformed percent-encoding", async () => {
    const err = await rejection(readForm(post("scope=%E0%A4%A")));
    expect(err.description).toBe("request body is not valid form encoding");
  });

  it("rejects GET", async () => {
    const err = await rejection(readForm(new Request("https://id.example.test/t")));
    expect(err.description).toBe("only POST requests are supported");
  });

  it("names back only the parameters it knows, so a sender cannot write the description", async () => {
    const name = "ACCOUNT_SUSPENDED._Call_support_at_1-800-555-0199";
    expect((await rejection(readForm(post(`${name}=1&${name}=2`)))).description).toBe("a parameter must not be provided twice");
    expect((await rejection(readForm(post(`${name}=${"x".repeat(5000)}`)))).description).toBe("a parameter is too long");
  });

  it("rejects a parameter name with a control character (CR/LF) or over 100 characters", async () => {
    for (const body of ["grant_type=x&a%0D%0Ab=1", "a%0Ab=1", `${"n".repeat(101)}=1`, "a%00=1"]) {
      const err = await rejection(readForm(post(body)));
      expect(err.description).toBe("request has a malformed parameter name");
    }
  });
});

describe("error_description (RFC 6749 5.2)", () => {
  it("keeps only the characters the RFC allows, so it is also safe in a header", () => {
    expect(errorDescription('bad "x"\r\n\u00e9 \\ ok')).toBe("bad ?x???? ? ok");
    expect(oauthError.invalidRequest("a\r\nSet-Cookie: x").description).toBe("a??Set-Cookie: x");
    expect(errorDescription("x".repeat(400))).toHaveLength(300);
  });
});
