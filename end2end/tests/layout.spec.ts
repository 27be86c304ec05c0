// Where things sit: the drawer's reading order at desktop and phone sizes,
// the floating bulk bar and the actions it offers, the new-board form,
// cards that are links before the page is interactive, and the phone
// layout (filters in a sheet, full-width columns, finger-sized targets).
import { expect, test, type Locator, type Page } from '@playwright/test';
import { baton, card, column, createTask, freshBoard, openBoard, signIn } from './helpers';

async function box(l: Locator) {
  const b = await l.boundingBox();
  if (!b) throw new Error('not rendered');
  return b;
}

async function openDrawer(page: Page, id: string) {
  await card(page, id).locator('.card-title').click();
  await expect(page.locator('aside.drawer .drawer-title')).toBeVisible();
  return page.locator('aside.drawer');
}

test.describe('on a wide screen', () => {
  test.use({ viewport: { width: 1600, height: 900 } });

  test('the drawer reads title, description, activity, with the properties beside them', async ({ page }) => {
    const board = freshBoard('wide');
    const t = createTask('Write the launch post', '--board', board, '--body', '> Keep it short.\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    await openBoard(page, board);
    const d = await openDrawer(page, t.id);
    const title = await box(d.locator('.drawer-title'));
    const lead = await box(d.locator('.drawer-lead'));
    const side = await box(d.locator('.drawer-side'));
    const main = await box(d.locator('.drawer-main'));
    expect(lead.y).toBeGreaterThan(title.y);
    // The description starts in the first screenful, properties to its right.
    expect(lead.y).toBeLessThan(300);
    expect(side.x).toBeGreaterThan(lead.x + lead.width - 1);
    expect(Math.abs(side.y - lead.y)).toBeLessThan(2);
    expect(main.y).toBeGreaterThanOrEqual(lead.y + lead.height - 1);
    // No property rows of dashes.
    await expect(d.locator('.facts dd')).not.toHaveText(['—']);
    await expect(d.locator('.facts dt', { hasText: 'Tenant' })).toHaveCount(0);
    // Quotes and tables in markdown are styled.
    const quote = d.locator('.markdown blockquote');
    await expect(quote).toHaveText('Keep it short.');
    expect(await quote.evaluate((e) => getComputedStyle(e).borderLeftStyle)).toBe('solid');
    expect(await d.locator('.markdown td').first().evaluate((e) => getComputedStyle(e).borderTopStyle)).toBe('solid');
  });

  test('a drag preview never leaves the screen', async ({ page }) => {
    const board = freshBoard('ghost');
    const t = createTask('A card with a rather long title that makes a wide preview', '--board', board);
    await openBoard(page, board);
    const from = await box(card(page, t.id));
    const [cx, cy] = [from.x + from.width / 2, from.y + from.height / 2];
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + 40, cy + 20, { steps: 4 });
    await page.mouse.move(1595, 895, { steps: 8 });
    const ghost = await box(page.locator('.ghost'));
    expect(ghost.x + ghost.width).toBeLessThanOrEqual(1600);
    expect(ghost.y + ghost.height).toBeLessThanOrEqual(900);
    // Back where it came from: dropping there moves nothing.
    await page.mouse.move(cx, cy, { steps: 8 });
    await page.mouse.up();
  });
});

test('an empty column is a drop target as tall as the board', async ({ page }) => {
  const board = freshBoard('tall');
  createTask('Lonely', '--board', board);
  await openBoard(page, board);
  const empty = await box(column(page, 'blocked'));
  const ready = await box(column(page, 'ready'));
  expect(empty.height).toBeGreaterThan(400);
  expect(Math.abs(empty.height - ready.height)).toBeLessThan(2);
});

test('the bulk bar floats without moving the board, and offers what fits the selection', async ({ page }) => {
  const board = freshBoard('fit');
  const a = createTask('Ready one', '--board', board);
  const b = createTask('Ready two', '--board', board);
  const c = createTask('Stuck one', '--board', board);
  baton('--board', board, 'block', c.id, 'needs a key');
  await openBoard(page, board);
  const before = await box(card(page, a.id));
  await card(page, a.id).locator('.select').check();
  const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
  await expect(bar).toContainText('1 selected');
  const after = await box(card(page, a.id));
  expect(after.y).toBe(before.y);
  const barBox = await box(bar);
  expect(barBox.y + barBox.height).toBeGreaterThan((page.viewportSize()?.height ?? 720) - 40);
  await card(page, b.id).locator('.select').check();
  // Ready cards: no move to Ready, nothing running to reclaim.
  await expect(bar.getByRole('button', { name: '→ Ready' })).toHaveCount(0);
  await expect(bar.getByText('reclaim first')).toHaveCount(0);
  await expect(bar.getByRole('button', { name: 'Block…' })).toBeVisible();
  // Only blocked cards: the move is an unblock, and blocking is not offered.
  await bar.getByRole('button', { name: 'Clear' }).click();
  await card(page, c.id).locator('.select').check();
  await expect(bar.getByRole('button', { name: 'Unblock' })).toBeVisible();
  await expect(bar.getByRole('button', { name: 'Block…' })).toHaveCount(0);
  await bar.getByRole('button', { name: 'Unblock' }).click();
  await expect(column(page, 'ready').locator(`[data-task-id="${c.id}"]`)).toBeVisible();
});

test('a new board gets a name and an address, and an address in use opens that board', async ({ page }) => {
  const board = freshBoard('newform');
  await openBoard(page, board);
  const suffix = Date.now().toString(36);
  await page.getByLabel('Board', { exact: true }).selectOption('__new__');
  const dialog = page.getByRole('dialog', { name: 'New board' });
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await dialog.getByLabel('Name').fill(`Launch ${suffix}!`);
  await expect(dialog.getByLabel('Address')).toHaveValue(`launch-${suffix}`);
  await dialog.getByLabel('Address').fill('Bad Address');
  await dialog.getByRole('button', { name: 'Create board' }).click();
  await expect(dialog.getByRole('alert')).toContainText("only a-z, 0-9");
  await dialog.getByLabel('Address').fill(`launch-${suffix}`);
  await dialog.getByRole('button', { name: 'Create board' }).click();
  await expect(page).toHaveURL(new RegExp(`/boards/launch-${suffix}$`));
  await expect(dialog).toHaveCount(0);
  const listed = JSON.parse(baton('boards', 'list', '--json')) as { slug: string; name: string }[];
  expect(listed.find((b) => b.slug === `launch-${suffix}`)?.name).toBe(`Launch ${suffix}!`);
  // An address that exists opens it instead.
  await page.getByLabel('Board', { exact: true }).selectOption('__new__');
  await dialog.getByLabel('Address').fill(board);
  await expect(dialog.getByRole('button', { name: 'Open board' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Open board' }).click();
  await expect(page).toHaveURL(new RegExp(`/boards/${board}$`));
  // Escape closes it with nothing made.
  await page.getByLabel('Board', { exact: true }).selectOption('__new__');
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('lanes name the assignee once, not on every card', async ({ page }) => {
  const board = freshBoard('lanes');
  createTask('Long job', '--board', board, '--assignee', 'chatty');
  await openBoard(page, board);
  await page.getByLabel('Lanes by profile').check();
  const lane = page.locator('.lane[data-lane="chatty"]');
  await expect(lane.locator('.card')).toHaveCount(1, { timeout: 15_000 });
  await expect(lane.locator('.lane-head')).toContainText('chatty');
  await expect(lane.locator('.card .assignee')).toBeHidden();
});

test.describe('before the page is interactive', () => {
  test.use({ javaScriptEnabled: false });

  test('cards are links to their task', async ({ page }) => {
    const board = freshBoard('nojs');
    const t = createTask('Linked card', '--board', board);
    await signIn(page, `/boards/${board}`);
    const link = card(page, t.id).getByRole('link', { name: 'Linked card' });
    await expect(link).toHaveAttribute('href', `/tasks/${t.id}`);
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/tasks/${t.id}$`));
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('the toolbar is short, filters live in a sheet, and the column uses the width', async ({ page }) => {
    const board = freshBoard('phone');
    const t = createTask('On the go', '--board', board, '--assignee', 'alice');
    await openBoard(page, board);
    // The first card starts in the top quarter of the screen.
    const toolbar = await box(page.locator('header.toolbar'));
    expect(toolbar.height).toBeLessThan(120);
    expect((await box(card(page, t.id))).y).toBeLessThan(844 / 4 + 20);
    createTask('Someone else', '--board', board, '--assignee', 'bob');
    await expect(page.locator('.card')).toHaveCount(2);
    // No keyboard, no "/" hint.
    await expect(page.locator('input.search')).toHaveAttribute('placeholder', 'Search');
    // The column fills the screen's width.
    expect((await box(column(page, 'ready'))).width).toBeGreaterThan(390 - 20);
    // Filters: behind a button, in a sheet.
    await expect(page.getByLabel('Assignee')).toBeHidden();
    await page.getByRole('button', { name: 'Filters' }).click();
    const sheet = page.getByRole('dialog', { name: 'Filters and view' });
    await expect(sheet).toBeVisible();
    await sheet.getByLabel('Assignee').selectOption('alice');
    await sheet.getByRole('button', { name: 'Done' }).click();
    await expect(sheet).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Filters · 1' })).toBeVisible();
    await expect(card(page, t.id)).toBeVisible();
    await expect(page.locator('.card')).toHaveCount(1);
  });

  test('what a finger touches is at least 44 pixels', async ({ page }) => {
    const board = freshBoard('fingers');
    const t = createTask('Tap me', '--board', board);
    await openBoard(page, board);
    const targets = [
      card(page, t.id).locator('.select-hit'),
      column(page, 'ready').locator('.add'),
      page.locator('.column-tabs button').first(),
      page.getByRole('button', { name: 'Filters' }),
    ];
    for (const l of targets) {
      const b = await box(l);
      expect(Math.min(b.width, b.height), await l.evaluate((e) => e.outerHTML.slice(0, 80))).toBeGreaterThanOrEqual(44);
    }
    // The box selects without opening the card.
    await card(page, t.id).locator('.select-hit').tap();
    await expect(page.getByRole('toolbar', { name: 'Bulk actions' })).toContainText('1 selected');
    await expect(page).not.toHaveURL(/\/tasks\//);
    await card(page, t.id).locator('.card-title').tap();
    const close = page.locator('aside.drawer .drawer-head .close');
    const b = await box(close);
    expect(Math.min(b.width, b.height)).toBeGreaterThanOrEqual(44);
    // On a phone the properties follow the description.
    const lead = await box(page.locator('.drawer-lead'));
    const side = await box(page.locator('.drawer-side'));
    expect(side.y).toBeGreaterThanOrEqual(lead.y + lead.height - 1);
  });

  test('off-screen tabs are hinted at the edge', async ({ page }) => {
    const board = freshBoard('cue');
    createTask('Anything', '--board', board);
    await openBoard(page, board);
    const tabs = page.locator('.column-tabs');
    const overflow = await tabs.evaluate((e) => e.scrollWidth > e.clientWidth);
    const cue = await tabs.evaluate((e) => {
      const s = getComputedStyle(e, '::after');
      return { position: s.position, image: s.backgroundImage };
    });
    expect(overflow).toBe(true);
    expect(cue.position).toBe('sticky');
    expect(cue.image).toContain('linear-gradient');
  });
});
