import type { ReactNode } from "react";

export function Alert({ tone = "error", children }: { tone?: "error" | "info"; children: ReactNode }) {
  const style = tone === "error" ? "border-red-200 bg-red-50 text-red-800" : "border-sky-200 bg-sky-50 text-sky-800";
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-lg border px-4 py-3 text-sm ${style}`}>
      {children}
    </div>
  );
}
