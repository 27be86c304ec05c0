// An accessibility pass with axe-core on the board, the drawer and the
// dialogs, in both themes: no serious or critical violations.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { baton, card, createTask, freshBoard, openBoard } from './helpers';

async function serious(page: Page, include?: string) {
  let axe = new AxeBuilder({ page });
  if (include) axe = axe.include(include);
  const { violations } = await axe.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

for (const scheme of ['dark', 'light'] as const) {
  test(`no serious accessibility violations on the board, the drawer and the dialogs (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const board = freshBoard(`axe-${scheme}`);
    const a = createTask('Write the release notes', '--board', board, '--priority', '7', '--body', '# Notes\n\n- one\n- two');
    const b = createTask('Needs a decision', '--board', board, '--assignee', 'alice');
    baton('--board', board, 'block', b.id, 'Which region?');
    const c = createTask('Shipped', '--board', board);
    baton('--board', board, 'complete', c.id, '--summary', 'Released to staging.');
    await openBoard(page, board);
    expect(await serious(page)).toEqual([]);

    await card(page, a.id).locator('.card-title').click();
    await expect(page.locator('aside.drawer .drawer-title')).toBeVisible();
    expect(await serious(page, 'aside.drawer')).toEqual([]);
    await page.keyboard.press('Escape');

    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    expect(await serious(page, '.modal')).toEqual([]);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'New task in Ready' }).click();
    await expect(page.getByRole('form', { name: 'New task' })).toBeVisible();
    expect(await serious(page, 'form.create')).toEqual([]);

    await page.getByLabel('Board', { exact: true }).selectOption('__new__');
    await expect(page.getByRole('dialog', { name: 'New board' })).toBeVisible();
    expect(await serious(page, 'form.new-board')).toEqual([]);
    await page.getByRole('dialog', { name: 'New board' }).getByRole('button', { name: 'Cancel' }).click();

    await card(page, a.id).locator('.select').check();
    await expect(page.getByRole('toolbar', { name: 'Bulk actions' })).toBeVisible();
    expect(await serious(page, '.bulk-bar')).toEqual([]);
  });
}

test('no serious accessibility violations on a phone, filters sheet open', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await ctx.newPage();
  const board = freshBoard('axe-phone');
  createTask('On the go', '--board', board);
  await openBoard(page, board);
  expect(await serious(page)).toEqual([]);
  await page.getByRole('button', { name: 'Filters' }).click();
  await expect(page.getByRole('dialog', { name: 'Filters and view' })).toBeVisible();
  expect(await serious(page, '#toolbar-filters')).toEqual([]);
  await ctx.close();
});
