/** What the settings service needs from storage (lib/stores/prisma/settings.ts). */
export interface PortalSettingStore {
  /** every stored key with its JSON value */
  readAll(): Promise<Record<string, unknown>>;
  /** writes the keys and bumps the "settings" change stamp, in one transaction */
  write(values: Record<string, unknown>): Promise<void>;
  /** the "settings" change stamp: another instance's write changes it */
  version(): Promise<number>;
}
