// What a card and an empty board tell a person at a glance: who (if
// anyone) will run a task, why a blocked one waits, what a finished one
// handed off, how urgent it is; on a phone, where the cards are.
import { expect, test } from '@playwright/test';
import { baton, card, column, createTask, freshBoard, openBoard } from './helpers';

test('an empty board says how to start, and goes once there is a task', async ({ page }) => {
  const board = freshBoard('empty');
  await openBoard(page, board);
  const intro = page.getByRole('region', { name: 'Getting started' });
  await expect(intro).toContainText('This board is empty');
  await expect(intro).toContainText('baton create');
  await expect(intro).toContainText('baton demo');
  // The suite's server runs a dispatcher (it takes a new board on within a
  // tick) and has profiles.
  await expect(async () => {
    await page.reload();
    await expect(intro).toContainText('A dispatcher is running', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(intro).toContainText('replayer');
  const t = createTask('The first task', '--board', board);
  await expect(card(page, t.id)).toBeVisible();
  await expect(intro).toHaveCount(0);
});

test('cards say who will run them, why they wait, what they handed off and how urgent they are', async ({ page }) => {
  const board = freshBoard('cards');
  const loose = createTask('Nobody owns this', '--board', board, '--priority', '7');
  const person = createTask('For a person', '--board', board, '--assignee', 'alice', '--priority', '1');
  const queued = createTask('Queued for an agent', '--board', board, '--assignee', 'replayer', '--parent', loose.id);
  const stuck = createTask('Needs a decision', '--board', board);
  baton('--board', board, 'block', stuck.id, 'Which region should it deploy to?\nMore detail below.');
  const shipped = createTask('Shipped', '--board', board);
  baton('--board', board, 'complete', shipped.id, '--summary', 'Released 2.1 to staging.\nNotes follow.');
  await openBoard(page, board);

  await expect(card(page, loose.id).locator('.no-agent')).toHaveAttribute('title', /No one is assigned/);
  await expect(card(page, person.id).locator('.no-agent')).toHaveAttribute('title', /No profile is called alice/);
  await expect(card(page, queued.id)).toBeVisible();
  await expect(card(page, queued.id).locator('.no-agent')).toHaveCount(0);
  await expect(card(page, stuck.id).locator('.card-note.waiting')).toHaveText('Waiting for a person: Which region should it deploy to?');
  await expect(card(page, shipped.id).locator('.card-note.handoff')).toHaveText('Released 2.1 to staging.');
  await expect(card(page, loose.id).locator('.prio')).toHaveClass(/prio-high/);
  await expect(card(page, person.id).locator('.prio')).toHaveClass(/prio-low/);
  // Dependencies in words, the id after the title.
  await expect(card(page, queued.id)).toContainText('waits for 1');
  await expect(card(page, loose.id)).toContainText('1 after it');
  const head = await card(page, loose.id).locator('.card-head').textContent();
  expect(head?.trim().startsWith('Nobody owns this')).toBe(true);
  // The attention strip lists the task that waits for a person, and can unblock it.
  const strip = page.getByRole('region', { name: 'Needs attention' });
  await strip.getByRole('button', { name: /needs? attention/ }).click();
  const row = strip.locator(`.attention-row[data-task-id="${stuck.id}"]`);
  await expect(row).toContainText('Waiting for a person: Which region should it deploy to?');
  await row.getByRole('button', { name: 'Unblock' }).click();
  await expect(column(page, 'ready').locator(`[data-task-id="${stuck.id}"]`)).toBeVisible();
});

test('the theme follows the system until a person picks one', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  const board = freshBoard('theme');
  await openBoard(page, board);
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(await bg()).toBe('rgb(245, 246, 248)');
  await page.getByRole('button', { name: 'Toggle light and dark theme' }).click();
  expect(await bg()).toBe('rgb(14, 16, 20)');
  await page.reload();
  await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1);
  await expect.poll(bg).toBe('rgb(14, 16, 20)');
  await page.evaluate(() => localStorage.removeItem('baton.theme'));
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('tabs count their cards and the board opens on the first column that has any', async ({ page }) => {
    const board = freshBoard('tabs');
    const t = createTask('All finished', '--board', board);
    baton('--board', board, 'complete', t.id, '--summary', 'done');
    await openBoard(page, board);
    await expect(column(page, 'done')).toBeVisible();
    await expect(card(page, t.id)).toBeVisible();
    await expect(page.locator('.column-tabs button[data-column="done"] .tab-count')).toHaveText('1');
    await expect(page.locator('.column-tabs button[data-column="ready"] .tab-count')).toHaveText('0');
  });
});

test('the drawer is a real dialog: it takes focus, gives it back, and switches cards in place', async ({ page }) => {
  const board = freshBoard('dialog');
  const a = createTask('First card', '--board', board);
  const b = createTask('Second card', '--board', board);
  await openBoard(page, board);
  await card(page, a.id).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Task ${a.id}: First card` });
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expect(dialog).toBeFocused();
  // A click on another card beside the drawer opens that one.
  await card(page, b.id).locator('.card-title').click({ force: true });
  await expect(page).toHaveURL(new RegExp(`/tasks/${b.id}$`));
  await expect(page.getByRole('dialog', { name: `Task ${b.id}: Second card` })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('aside.drawer')).toHaveCount(0);
  await expect(card(page, b.id)).toBeFocused();
});

test('a search that matches nothing says so, and the stats count what is shown', async ({ page }) => {
  const board = freshBoard('nomatch');
  createTask('Apples', '--board', board);
  createTask('Pears', '--board', board);
  await openBoard(page, board);
  await page.getByRole('searchbox').or(page.locator('input.search')).first().fill('apples');
  await expect(page.getByLabel('Board statistics')).toContainText('1 of 2 shown');
  await page.locator('input.search').fill('bananas');
  const none = page.locator('.no-match');
  await expect(none).toContainText('No task matches');
  await none.getByRole('button', { name: 'Show everything' }).click();
  await expect(none).toHaveCount(0);
  await expect(page.locator('input.search')).toHaveValue('');
});
