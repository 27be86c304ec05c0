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
  });
}
