// The tutorial's screenshots (scripts/screenshots.sh): the same real server
// and Chromium as the tests, driving `baton demo` boards.
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  testDir: './shots',
  testMatch: '*.shots.ts',
  timeout: 240_000,
});
