/**
 * The mail outbox as administrators read it: the messages a portal without SMTP kept (lib/mail).
 * Reading it is an admin decision like every other; the messages carry sign-up and reset links,
 * so nobody else sees them.
 */
import type { OutboxStore } from "../mail";
import type { Authorize, Principal } from "./access";
import { listPage, type PageQuery } from "./paging";

export function createOutboxAdmin(outbox: OutboxStore, mode: "smtp" | "outbox", authorize: Authorize) {
  return {
    /** smtp: mail goes to the SMTP server and nothing is kept here */
    mode,
    async list(principal: Principal, q: PageQuery) {
      await authorize(principal);
      return listPage(q, (p) => outbox.list(p));
    },
    async get(principal: Principal, id: string) {
      await authorize(principal);
      return id.length > 64 ? null : outbox.get(id);
    },
  };
}

export type OutboxAdmin = ReturnType<typeof createOutboxAdmin>;
