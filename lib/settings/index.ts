export * from "./schema";
export type { PortalSettingStore } from "./ports";
export { createPortalSettingsService, type PortalSettingsService } from "./service";
