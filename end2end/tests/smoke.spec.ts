// The foundation's promise: the page is server-rendered, hydrates, and a
// server function reaches the kernel.
import { expect, test } from '@playwright/test';
import { card, createTask, signIn, waitForHydration } from './helpers';

test('a task created through the kernel is on the page, and the page hydrates', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const first = createTask('Write the release notes', '--assignee', 'writer', '--board', 'default');

  const response = await signIn(page, '/boards/default');
  expect(response?.status()).toBe(200);
  // Server-rendered: the task is in the HTML before any script runs.
  expect(await response!.text()).toContain('Write the release notes');
  await waitForHydration(page);
  await expect(card(page, first.id)).toContainText('Write the release notes');
  await expect(card(page, first.id)).toContainText('writer');
  expect(errors).toEqual([]);
});
