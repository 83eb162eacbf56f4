import { defineConfig, devices } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// The config is read by the runner and again by each worker; values chosen here are put in
// the environment once so every process agrees on them.
if (!process.env.E2E_PORT) {
  process.env.E2E_PORT = execFileSync(process.execPath, [
    "-e",
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
  ])
    .toString()
    .trim();
}
if (!process.env.OIDC_PORT) {
  process.env.OIDC_PORT = execFileSync(process.execPath, [
    "-e",
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
  ])
    .toString()
    .trim();
}
// The service worker's own requests are routed like a page's (tests/offline.spec.ts cuts the
// network for both); Chromium only.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = "1";
if (!process.env.E2E_DB_DIR) {
  process.env.E2E_DB_DIR = mkdtempSync(path.join(tmpdir(), "reengage-e2e-"));
}

const repoRoot = path.resolve(__dirname, "..");
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(repoRoot, "target");
const binary = process.env.REENGAGE_BIN ?? path.join(targetDir, "release", "reengage");
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

export default defineConfig({
  testDir: "./tests",
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // A supervisor's sign-in may wait up to one 30-second TOTP step for an unused code.
  timeout: 60_000,
  workers: 2,
  reporter: [["list"], ["json", { outputFile: "test-results/results.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: chromium,
  },
  projects: [
    { name: "phone", use: { ...devices["Pixel 7"], launchOptions: chromium }, testIgnore: /admin\.spec\.ts/ },
    { name: "desktop", use: { ...devices["Desktop Chrome"], launchOptions: chromium }, testIgnore: /admin\.spec\.ts/ },
    // The office set-up (admin.spec.ts, desktop) runs after every other test: a snow day it
    // adds for a moment moves the demo office's deadlines, which other tests count on.
    {
      name: "admin",
      use: { ...devices["Desktop Chrome"], launchOptions: chromium },
      testMatch: /admin\.spec\.ts/,
      dependencies: ["phone", "desktop"],
    },
  ],
  webServer: [
    {
      // A real OpenID Provider on loopback for agency single sign-on (end2end/oidc/).
      command: `"${process.execPath}" "${path.join(__dirname, "oidc", "provider.mjs")}"`,
      url: `http://127.0.0.1:${process.env.OIDC_PORT}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
      env: { OIDC_PORT: process.env.OIDC_PORT, E2E_PORT: process.env.E2E_PORT },
    },
    {
      // The demo branch (staff of every role, forty participants) in a new database, then serve.
      // What `demo` prints (the demo admin's own password among it) is kept beside the database.
      command: `"${binary}" demo > "${path.join(process.env.E2E_DB_DIR, "demo.txt")}" && "${binary}" serve`,
      cwd: repoRoot,
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        REENGAGE_ADDR: `127.0.0.1:${process.env.E2E_PORT}`,
        DATABASE_URL: `sqlite:${path.join(process.env.E2E_DB_DIR, "reengage.db")}`,
        LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? path.join(repoRoot, "target", "site"),
        LEPTOS_ENV: "PROD",
        REENGAGE_LOG: "warn",
        REENGAGE_OIDC_ISSUER: `http://127.0.0.1:${process.env.OIDC_PORT}`,
        REENGAGE_OIDC_CLIENT_ID: "reengage-e2e",
        REENGAGE_OIDC_CLIENT_SECRET: "reengage-e2e-client-secret",
        REENGAGE_OIDC_REDIRECT_URL: `${baseURL}/signin/sso/callback`,
      },
    },
  ],
});
