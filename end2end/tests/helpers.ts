// Shared helpers: drive the real `baton` CLI against the test home, and wait
// for the page to become interactive.
import { execFileSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';

export function baton(...args: string[]): string {
  return execFileSync(process.env.BATON_BIN!, ['--home', process.env.BATON_E2E_HOME!, ...args], {
    encoding: 'utf8',
  });
}

export function createTask(title: string, ...flags: string[]): { id: string; title: string; status: string } {
  return JSON.parse(baton('create', title, '--json', ...flags));
}

export const token = process.env.BATON_E2E_TOKEN ?? 'e2e-token-0123456789abcdef';

/** Opens the board the way a person does the first time: with the token in the URL. */
export async function signIn(page: Page, path = '/') {
  const sep = path.includes('?') ? '&' : '?';
  return page.goto(`${path}${sep}token=${token}`);
}

/** Server HTML arrives before the WASM; clicks only work once hydrated. */
export async function waitForHydration(page: Page) {
  await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
}
