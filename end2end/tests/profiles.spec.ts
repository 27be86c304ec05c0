// The Profiles page: the profiles in config.toml with the doctor's verdict,
// adding, editing and removing one.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { baton, createTask, freshBoard, signIn } from './helpers';

const config = () => readFileSync(`${process.env.BATON_E2E_HOME}/config.toml`, 'utf8');

test('the Profiles page lists, checks, adds, edits and removes profiles', async ({ page }) => {
  // The page loads its part of the bundle, then the list, in the browser.
  await signIn(page, '/profiles');
  const row = (name: string) => page.locator(`tr[data-profile="${name}"]`);
  await expect(row('replayer')).toContainText('claude-code', { timeout: 20_000 });
  await expect(row('chatty')).toContainText('command');
  // The doctor started the replayer's program with --version.
  await expect(row('replayer').locator('.verdict')).toHaveText('ok', { timeout: 15_000 });
  await expect(row('replayer').locator('.doctor')).toContainText('replay-agent 1.0');

  const form = page.getByRole('form', { name: 'Add a profile' });
  await form.getByLabel('Name').fill('tester');
  await form.getByLabel('Agent').selectOption('codex');
  await form.getByLabel('Model').fill('gpt-test');
  await form.getByLabel('At most').fill('2');
  await form.getByRole('button', { name: 'Add' }).click();
  await expect(row('tester')).toContainText('gpt-test');
  await expect(row('tester')).toContainText('codex');
  expect(config()).toContain('[profiles.tester]');
  // Its CLI is not installed here: the doctor says so, and what to do.
  await expect(row('tester').locator('.verdict')).toHaveText('cannot start', { timeout: 15_000 });
  await expect(row('tester').locator('.problem').first()).toContainText('not on PATH');

  // A second profile of the same name is refused, and nothing changes.
  await form.getByLabel('Name').fill('tester');
  await form.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('alert')).toContainText('already exists');

  await row('tester').getByRole('button', { name: 'Edit' }).click();
  await form.getByLabel('On exit').selectOption('complete');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(row('tester')).toContainText('complete');
  expect(config()).toContain('on_exit = "complete"');

  await row('tester').getByRole('button', { name: 'Remove tester' }).click();
  await expect(row('tester')).toHaveCount(0);
  expect(config()).not.toContain('[profiles.tester]');
  await expect(row('replayer')).toBeVisible();
});

test('a rate-limited profile shows its pause on the Profiles page, and Resume ends it', async ({ page }) => {
  const board = freshBoard('limited');
  const t = createTask('Call the API', '--board', board, '--assignee', 'limited');
  // The server's dispatcher starts it, the worker exits 75, the profile pauses.
  await expect.poll(() => {
    const p = JSON.parse(baton('profiles', 'show', 'limited', '--json'));
    return p.paused?.reason ?? null;
  }, { timeout: 20_000 }).toBe('rate_limit');
  const shown = JSON.parse(baton('--board', board, 'show', t.id, '--json'));
  expect(shown.task.status).toBe('ready');
  expect(shown.runs[0].outcome).toBe('rate_limited');
  // Nothing would start it again for ten minutes; take it off the board
  // first so a resume does not set it off again.
  baton('--board', board, 'archive', t.id);
  await signIn(page, '/profiles');
  const row = page.locator('tr[data-profile="limited"]');
  await expect(row.locator('.paused')).toContainText('paused: rate-limited until', { timeout: 20_000 });
  await row.getByRole('button', { name: 'Resume' }).click();
  await expect(row.locator('.paused')).toHaveCount(0);
  expect(JSON.parse(baton('profiles', 'show', 'limited', '--json')).paused).toBeUndefined();
});
