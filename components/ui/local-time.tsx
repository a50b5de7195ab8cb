"use client";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * A moment shown in the reader's locale and time zone, with the zone named ("2 Dec 2026, 21:53 CET").
 * The server renders UTC (it does not know the reader's zone); the browser replaces it on hydration.
 * `dateOnly` shows the day alone.
 */
export function LocalTime({ value, dateOnly = false }: { value: Date | string | number; dateOnly?: boolean }) {
  const date = new Date(value);
  const iso = date.toISOString();
  const text = useSyncExternalStore(
    subscribe,
    () => format(date, undefined, undefined, dateOnly),
    () => format(date, "en-GB", "UTC", dateOnly),
  );
  return (
    <time dateTime={iso} title={iso} suppressHydrationWarning>
      {text}
    </time>
  );
}

function format(date: Date, locale: string | undefined, timeZone: string | undefined, dateOnly: boolean): string {
  return (
    new Intl.DateTimeFormat(locale, {
      timeZone,
      dateStyle: "medium",
      ...(dateOnly ? {} : { timeStyle: "short", timeZoneName: undefined }),
    }).format(date) + (dateOnly ? "" : ` ${zoneName(date, locale, timeZone)}`)
  );
}

function zoneName(date: Date, locale: string | undefined, timeZone: string | undefined): string {
  const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" })
    .formatToParts(date)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? "";
}
