import type { ReactNode } from "react";
import type { ExternalButton } from "@/lib/next/external-login";

/** Inline marks of the presets (no remote images: the login page loads nothing from elsewhere). */
const ICONS: Record<string, ReactNode> = {
  github: (
    <svg viewBox="0 0 16 16" aria-hidden="true" className="h-5 w-5 fill-slate-900">
      <path d="M8 0C3.58 0 0 3.58 0 8c0 3.54 2.29 6.53 5.47 7.59.4.07.55-.17.55-.38 0-.19-.01-.82-.01-1.49-2.01.37-2.53-.49-2.69-.94-.09-.23-.48-.94-.82-1.13-.28-.15-.68-.52-.01-.53.63-.01 1.08.58 1.23.82.72 1.21 1.87.87 2.33.66.07-.52.28-.87.51-1.07-1.78-.2-3.64-.89-3.64-3.95 0-.87.31-1.59.82-2.15-.08-.2-.36-1.02.08-2.12 0 0 .67-.21 2.2.82.64-.18 1.32-.27 2-.27.68 0 1.36.09 2 .27 1.53-1.04 2.2-.82 2.2-.82.44 1.1.16 1.92.08 2.12.51.56.82 1.27.82 2.15 0 3.07-1.87 3.75-3.65 3.95.29.25.54.73.54 1.48 0 1.07-.01 1.93-.01 2.2 0 .21.15.46.55.38A8.01 8.01 0 0 0 16 8c0-4.42-3.58-8-8-8z" />
    </svg>
  ),
  google: (
    <svg viewBox="0 0 18 18" aria-hidden="true" className="h-5 w-5">
      <path
        fill="#4285F4"
        d="M17.64 9.2c0-.64-.06-1.25-.16-1.84H9v3.48h4.84a4.14 4.14 0 0 1-1.8 2.72v2.26h2.91c1.7-1.57 2.69-3.87 2.69-6.62z"
      />
      <path
        fill="#34A853"
        d="M9 18c2.43 0 4.47-.81 5.96-2.18l-2.91-2.26c-.81.54-1.84.86-3.05.86-2.34 0-4.33-1.58-5.04-3.71H.96v2.33A9 9 0 0 0 9 18z"
      />
      <path
        fill="#FBBC05"
        d="M3.96 10.71A5.41 5.41 0 0 1 3.68 9c0-.59.1-1.17.28-1.71V4.96H.96A9 9 0 0 0 0 9c0 1.45.35 2.83.96 4.04l3-2.33z"
      />
      <path
        fill="#EA4335"
        d="M9 3.58c1.32 0 2.51.45 3.44 1.35l2.58-2.58A8.65 8.65 0 0 0 9 0 9 9 0 0 0 .96 4.96l3 2.33C4.67 5.16 6.66 3.58 9 3.58z"
      />
    </svg>
  ),
  microsoft: (
    <svg viewBox="0 0 21 21" aria-hidden="true" className="h-5 w-5">
      <rect x="1" y="1" width="9" height="9" fill="#F25022" />
      <rect x="11" y="1" width="9" height="9" fill="#7FBA00" />
      <rect x="1" y="11" width="9" height="9" fill="#00A4EF" />
      <rect x="11" y="11" width="9" height="9" fill="#FFB900" />
    </svg>
  ),
  gitlab: (
    <svg viewBox="0 0 24 24" aria-hidden="true" className="h-5 w-5">
      <path
        fill="#FC6D26"
        d="M12 21.5 2.7 14.7a.7.7 0 0 1-.26-.78l1.1-3.3L5.7 4a.4.4 0 0 1 .76 0l2.2 6.6h6.68l2.2-6.6a.4.4 0 0 1 .76 0l2.16 6.6 1.1 3.3a.7.7 0 0 1-.26.78z"
      />
    </svg>
  ),
};

const GENERIC = (
  <svg viewBox="0 0 20 20" aria-hidden="true" className="h-5 w-5 fill-slate-500">
    <path d="M10 1a5 5 0 0 0-5 5v2H4a1 1 0 0 0-1 1v9a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V9a1 1 0 0 0-1-1h-1V6a5 5 0 0 0-5-5zm-3 7V6a3 3 0 1 1 6 0v2H7z" />
  </svg>
);

/** A provider's mark: the preset's, or a generic lock (also the account page's "Link" buttons). */
export function ProviderIcon({ icon }: { icon: string | null }) {
  return (icon && ICONS[icon]) || GENERIC;
}

/** One plain link per enabled provider: works without JavaScript, the handshake starts with a GET. */
export function ExternalButtons({ buttons }: { buttons: ExternalButton[] }) {
  if (buttons.length === 0) return null;
  return (
    <div className="mt-6 flex flex-col gap-3">
      <div className="flex items-center gap-3 text-xs text-slate-500" aria-hidden="true">
        <span className="h-px flex-1 bg-slate-200" />
        or
        <span className="h-px flex-1 bg-slate-200" />
      </div>
      <ul className="flex flex-col gap-2" aria-label="Other ways to sign in">
        {buttons.map((b) => (
          <li key={b.id}>
            <a
              href={b.href}
              data-provider={b.id}
              className="flex w-full items-center justify-center gap-3 rounded-lg bg-white px-4 py-2.5 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
            >
              <ProviderIcon icon={b.icon} />
              <span>Sign in with {b.displayName}</span>
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
