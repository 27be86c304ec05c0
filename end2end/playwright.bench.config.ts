// Dashboard benchmarks (bench/dashboard.sh): the same real server and
// Chromium as the tests, but a release build and one long measuring run.
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '*.bench.ts',
  timeout: 600_000,
});
