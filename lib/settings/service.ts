/**
 * The portal settings, read by every page and service that needs them, changed by administrators.
 *
 * Rules:
 * - a read is served from this process's cache; at most once per `checkIntervalMs` (1 s) a read
 *   compares the "settings" change stamp with the cached one and reloads on a difference, so a
 *   change made on any instance is seen within about a second (the same scheme as the identity
 *   provider directory); a write here drops the cache at once;
 * - a stored value that no longer parses (an older version, a hand edit) falls back to the
 *   defaults of that key only, and is logged, rather than stopping every sign-in;
 * - an update is for administrators only: the Principal is authorized first (lib/admin/access.ts),
 *   the input checked by the zod schema (problems by path, plain words), audited with before/after.
 */
import type { AuditSink } from "../oidc";
import type { Principal, Authorize } from "../admin/access";
import { validate } from "../admin/entries";
import { portalSettings, portalSettingsUpdate, SETTING_KEYS, type PortalSettings } from "./schema";
import type { PortalSettingStore } from "./ports";

export interface PortalSettingsService {
  get(): Promise<PortalSettings>;
  /** Administrators read the same object through their principal (the REST API). */
  read(principal: Principal): Promise<PortalSettings>;
  update(principal: Principal, raw: unknown): Promise<PortalSettings>;
}

export interface SettingsServiceOptions {
  store: PortalSettingStore;
  audit: AuditSink;
  authorize: Authorize;
  now: () => number;
  checkIntervalMs?: number;
  warn?: (message: string, fields: Record<string, unknown>) => void;
}

export function createPortalSettingsService(o: SettingsServiceOptions): PortalSettingsService {
  const interval = o.checkIntervalMs ?? 1000;
  let cache: { value: Promise<PortalSettings>; version: number; checkedAt: number } | null = null;

  async function load(): Promise<PortalSettings> {
    const stored = await o.store.readAll();
    const out: Record<string, unknown> = {};
    for (const key of SETTING_KEYS) {
      if (!(key in stored)) continue;
      const one = portalSettings.shape[key].safeParse(stored[key]);
      if (one.success) out[key] = one.data;
      else o.warn?.("a stored portal setting is invalid; its defaults apply", { key });
    }
    return portalSettings.parse(out);
  }

  async function get(): Promise<PortalSettings> {
    const now = o.now();
    if (cache && now - cache.checkedAt < interval) return cache.value;
    const version = await o.store.version();
    if (cache && cache.version === version) {
      cache.checkedAt = now;
      return cache.value;
    }
    const entry = { value: load(), version, checkedAt: now };
    entry.value.catch(() => {
      if (cache === entry) cache = null;
    });
    cache = entry;
    return entry.value;
  }

  return {
    get,
    async read(principal) {
      await o.authorize(principal);
      return get();
    },
    async update(principal, raw) {
      const actor = await o.authorize(principal);
      const input = validate(portalSettingsUpdate, raw);
      const before = await get();
      const changed = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      await o.store.write(changed);
      cache = null;
      const after = await get();
      await o.audit.record({
        type: "admin.settings_updated",
        actor: actor.name,
        details: { before: pick(before, changed), after: pick(after, changed) },
      });
      return after;
    },
  };
}

const pick = (s: PortalSettings, keys: Record<string, unknown>) =>
  Object.fromEntries(Object.keys(keys).map((k) => [k, s[k as keyof PortalSettings]]));
