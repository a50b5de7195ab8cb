"use server";

import { adminAction, formText, type ActionResult } from "@/lib/next/admin-action";
import { userFromForm, type UserFormValues } from "@/lib/schemas/admin-forms";

const USERS = "/admin/users";
const page = (username: string) => `${USERS}/${encodeURIComponent(username)}`;

export async function createUser(csrf: string, values: UserFormValues): Promise<ActionResult> {
  return adminAction(csrf, USERS, async (principal, { directory }) => {
    const user = await directory.users.save(principal, userFromForm(values));
    return { next: page(user.username) };
  });
}

/** Bound to the username by the user's page; the other stored claims are kept. */
export async function updateUser(username: string, csrf: string, values: UserFormValues): Promise<ActionResult> {
  return adminAction(csrf, page(username), async (principal, { directory }) => {
    const current = await directory.users.get(principal, username);
    const next = userFromForm(values);
    await directory.users.save(
      principal,
      { ...next, locked: current.locked, claims: { ...current.claims, ...(next.claims as object) } },
      username,
    );
  });
}

/** Bound to the username by the user's page. */
export async function setUserPassword(username: string, csrf: string, values: { password: string }): Promise<ActionResult> {
  return adminAction(csrf, page(username), async (principal, { directory }) => {
    await directory.users.setPassword(principal, username, values);
  });
}

export async function deleteUser(csrf: string, username: string): Promise<ActionResult> {
  return adminAction(csrf, USERS, async (principal, { directory }) => {
    await directory.users.remove(principal, username);
    return { next: USERS };
  });
}

// The commands of the user's page: plain forms with the username (and what they act on).

export async function lockUser(_previous: ActionResult | null, data: FormData): Promise<ActionResult> {
  const username = formText(data, "username");
  return adminAction(formText(data, "csrf"), page(username), (principal, { directory }) =>
    directory.users.setLocked(principal, username, true),
  );
}

export async function unlockUser(_previous: ActionResult | null, data: FormData): Promise<ActionResult> {
  const username = formText(data, "username");
  return adminAction(formText(data, "csrf"), page(username), (principal, { directory }) =>
    directory.users.setLocked(principal, username, false),
  );
}

export async function revokeUserSessions(_previous: ActionResult | null, data: FormData): Promise<ActionResult> {
  const username = formText(data, "username");
  return adminAction(formText(data, "csrf"), page(username), async (principal, { directory }) => {
    await directory.sessions.revokeAllOf(principal, username);
  });
}

export async function revokeUserSession(_previous: ActionResult | null, data: FormData): Promise<ActionResult> {
  return adminAction(formText(data, "csrf"), page(formText(data, "username")), (principal, { directory }) =>
    directory.sessions.revoke(principal, formText(data, "session")),
  );
}

export async function revokeConsent(_previous: ActionResult | null, data: FormData): Promise<ActionResult> {
  const username = formText(data, "username");
  return adminAction(formText(data, "csrf"), page(username), (principal, { directory }) =>
    directory.users.revokeConsent(principal, username, formText(data, "client")),
  );
}

export async function unlinkExternalLogin(_previous: ActionResult | null, data: FormData): Promise<ActionResult> {
  const username = formText(data, "username");
  return adminAction(formText(data, "csrf"), page(username), (principal, { directory }) =>
    directory.users.removeExternalLogin(principal, username, formText(data, "login")),
  );
}

export async function resetUserFactors(_previous: ActionResult | null, data: FormData): Promise<ActionResult> {
  const username = formText(data, "username");
  return adminAction(formText(data, "csrf"), page(username), async (principal, { factors }) => {
    await factors.reset(principal, username);
  });
}
