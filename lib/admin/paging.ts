/**
 * Paging of the admin lists. Page numbers are whole numbers from 1 to MAX_PAGE and sizes from 1
 * to MAX_PAGE_SIZE, whatever the caller sends; the console asks for `clamp`, so a page past the
 * end shows the last page, while the REST API answers it with no items (a client paging until
 * an empty page must stop).
 */
import type { Page } from "./ports";

export const MAX_PAGE = 1_000_000;
export const MAX_PAGE_SIZE = 100;

export interface PageQuery {
  page?: number;
  pageSize?: number;
  clamp?: boolean;
}

const whole = (v: number | undefined, fallback: number, max: number) =>
  Number.isFinite(v) ? Math.min(max, Math.max(1, Math.floor(v!))) : fallback;

export function pageOf(q: PageQuery, defaultSize = 25): { page: number; pageSize: number } {
  return { page: whole(q.page, 1, MAX_PAGE), pageSize: whole(q.pageSize, defaultSize, MAX_PAGE_SIZE) };
}

/** Runs `fetch` for the asked page; with `clamp`, again for the last page when that one is past the end. */
export async function listPage<T>(q: PageQuery, fetch: (p: { page: number; pageSize: number }) => Promise<Page<T>>): Promise<Page<T>> {
  const asked = pageOf(q);
  const result = await fetch(asked);
  const last = Math.max(1, Math.ceil(result.total / asked.pageSize));
  if (!q.clamp || asked.page <= last) return result;
  return fetch({ page: last, pageSize: asked.pageSize });
}
