// The foundation's promise: the page is server-rendered, hydrates, and a
// server function reaches the kernel.
import { expect, test } from '@playwright/test';
import { createTask, signIn, waitForHydration } from './helpers';

test('a task created through the kernel is on the page, and the page hydrates', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const first = createTask('Write the release notes', '--assignee', 'writer');

  const response = await signIn(page);
  expect(response?.status()).toBe(200);
  // Server-rendered: the task is in the HTML before any script runs.
  expect(await response!.text()).toContain('Write the release notes');
  await waitForHydration(page);
  const row = page.locator(`[data-task-id="${first.id}"]`);
  await expect(row).toContainText('Write the release notes');
  await expect(row).toContainText('writer');

  // A task created after the page loaded arrives through the server function
  // when the (hydrated) Refresh button is clicked.
  const second = createTask('Review the release notes');
  await expect(page.locator(`[data-task-id="${second.id}"]`)).toHaveCount(0);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.locator(`[data-task-id="${second.id}"]`)).toContainText('Review the release notes');
  expect(errors).toEqual([]);
});
