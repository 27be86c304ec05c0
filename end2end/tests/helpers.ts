// Shared helpers: drive the real `baton` CLI against the test home, sign in,
// and wait for the page to become interactive.
import { execFileSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';

export const token = process.env.BATON_E2E_TOKEN ?? 'e2e-token-0123456789abcdef';

export function baton(...args: string[]): string {
  return execFileSync(process.env.BATON_BIN!, ['--home', process.env.BATON_E2E_HOME!, ...args], {
    encoding: 'utf8',
  });
}

export type Task = { id: string; title: string; status: string; assignee: string | null };

export function createTask(title: string, ...flags: string[]): Task {
  return JSON.parse(baton('create', title, '--json', ...flags));
}

export function showTask(id: string, board?: string): { task: Task } {
  const args = board ? ['--board', board, 'show', id, '--json'] : ['show', id, '--json'];
  return JSON.parse(baton(...args));
}

let boards = 0;
/** A fresh board for one test, so tests never see each other's cards. */
export function freshBoard(prefix: string): string {
  const slug = `${prefix}-${process.pid}-${Date.now().toString(36)}-${boards++}`.toLowerCase().slice(0, 60);
  baton('boards', 'create', slug);
  return slug;
}

/** Opens a page the way a person does the first time: with the token in the URL. */
export async function signIn(page: Page, path = '/') {
  const sep = path.includes('?') ? '&' : '?';
  return page.goto(`${path}${sep}token=${token}`);
}

/** Server HTML arrives before the WASM; clicks only work once hydrated. */
export async function waitForHydration(page: Page) {
  await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
}

export async function openBoard(page: Page, slug: string) {
  await signIn(page, `/boards/${slug}`);
  await waitForHydration(page);
  await expect(page.locator('.live')).toHaveText('Live', { timeout: 10_000 });
}

export function card(page: Page, id: string) {
  return page.locator(`[data-task-id="${id}"]`);
}

export function column(page: Page, status: string) {
  return page.locator(`section.column[data-column="${status}"]`);
}
