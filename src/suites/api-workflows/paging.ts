import { expect } from 'vitest';
import type { ApiClient } from '../fixtures/http-client.ts';

/**
 * Walks a list route page by page (`limit` = pageSize) and returns, in the order served, the ids
 * of `mine` it met. Checks on the way what every page promises: `limit`/`offset` echo the request,
 * no page is longer than its limit, `total` does not move, and no id comes back on two pages.
 * The suite's files run one after another, so nothing else writes while a test pages.
 */
export async function pageThrough(
  client: ApiClient,
  path: string,
  key: string,
  mine: readonly string[],
  options: { pageSize?: number; query?: Record<string, string | number> } = {},
): Promise<{ ids: string[]; total: number }> {
  const pageSize = options.pageSize ?? 2;
  const seen = new Set<string>();
  const ids: string[] = [];
  let total: number | undefined;
  for (let offset = 0; total === undefined || offset < total; offset += pageSize) {
    const page = await client.data(
      'GET',
      path,
      { query: { ...options.query, limit: pageSize, offset }, expected: 200 },
      `GET ${path} (limit ${pageSize}, offset ${offset}) must answer 200`,
    );
    expect(page.limit, `GET ${path}: limit must echo the limit asked (${pageSize})`).toBe(pageSize);
    expect(page.offset, `GET ${path}: offset must echo the offset asked (${offset})`).toBe(offset);
    expect(total ?? page.total, `GET ${path}: total must be the same on every page`).toBe(page.total);
    total = page.total as number;
    const items: { id: string }[] = page[key];
    expect(items.length, `GET ${path}: a page holds at most limit (${pageSize}) items`).toBeLessThanOrEqual(
      pageSize,
    );
    expect(
      items.length,
      `GET ${path}: a page before the end (offset ${offset} < total ${total}) is not empty`,
    ).toBeGreaterThan(0);
    for (const { id } of items) {
      expect(seen.has(id), `GET ${path}: offset must move on — ${id} came back on a second page`).toBe(false);
      seen.add(id);
      if (mine.includes(id)) ids.push(id);
    }
  }
  return { ids, total: total ?? 0 };
}
