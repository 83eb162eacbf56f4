import { expect, type BrowserContext, type Cookie, type Page } from "@playwright/test";
import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The password of every demo account (the e2e server holds the demo branch). */
export const DEMO_PASSWORD = "riverbend demo branch only";
/** The TOTP key the demo's supervisors and admin are enrolled with (base32). */
export const DEMO_TOTP_SECRET = "REENGAGEDEMOBRANCHONLYTOTPKEY234";
/** The accounts that give a sign-in code after their password. */
export const SECOND_FACTOR = new Set(["manager@demo.test", "lead@demo.test"]);

const STEP_SECONDS = 30;

function base32(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text.replace(/=+$/, "")) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code (HMAC-SHA-1, 6 digits) of `secret` for time step `step`. */
export function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 1_000_000).padStart(6, "0");
}

/** Runs `work` holding a lock shared by every worker (a directory beside the database). */
async function locked<T>(name: string, work: () => T): Promise<T> {
  const lock = path.join(process.env.E2E_DB_DIR ?? "/tmp", `${name}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    return work();
  } finally {
    rmdirSync(lock);
  }
}

/**
 * A code of the demo key for `email` that no worker has given before: the server accepts a
 * code once only, from one step before to one step after its own, so this picks the earliest
 * unused step of those (the step before only with more than five seconds of it left to go),
 * or waits for the next step.
 */
export async function freshCode(email: string): Promise<string> {
  const ledger = path.join(process.env.E2E_DB_DIR ?? "/tmp", `totp-${email}.json`);
  for (;;) {
    const step = await locked(`totp-${email}`, () => {
      let last = -1;
      try {
        last = JSON.parse(readFileSync(ledger, "utf8")).last;
      } catch {
        // No code given yet.
      }
      const seconds = Date.now() / 1000;
      const now = Math.floor(seconds / STEP_SECONDS);
      const leftInStep = STEP_SECONDS - (seconds % STEP_SECONDS);
      const candidates = [leftInStep > 5 ? now - 1 : now, now, now + 1];
      const step = candidates.find((candidate) => candidate > last);
      if (step !== undefined) writeFileSync(ledger, JSON.stringify({ last: step }));
      return step;
    });
    if (step !== undefined) return totp(DEMO_TOTP_SECRET, step);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Gives the sign-in code on the page `/signin/code` and lands on Today. */
export async function giveCode(page: Page, email: string): Promise<void> {
  await expect(page).toHaveURL(/\/signin\/code$/);
  await page.getByLabel("Code", { exact: true }).fill(await freshCode(email));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/today$/);
}

/** Supervisors' sessions this worker already opened, reused by its later tests. */
const sessions = new Map<string, Cookie[]>();

async function reuse(context: BrowserContext, page: Page, email: string): Promise<boolean> {
  const cookies = sessions.get(email);
  if (!cookies) return false;
  await context.addCookies(cookies);
  await page.goto("/today");
  if (/\/today$/.test(page.url())) return true;
  sessions.delete(email);
  await context.clearCookies();
  return false;
}

/**
 * Signs in through the plain form and lands on Today. A supervisor also gives a sign-in
 * code; their session is then kept for this worker's later tests (a code is good once, so a
 * sign-in per test would wait for new 30-second steps).
 */
export async function signIn(page: Page, email: string): Promise<void> {
  const supervisor = SECOND_FACTOR.has(email);
  if (supervisor && (await reuse(page.context(), page, email))) return;
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (supervisor) {
    await giveCode(page, email);
    sessions.set(email, await page.context().cookies());
    return;
  }
  await expect(page).toHaveURL(/\/today$/);
}

/** The demo admin's own password, as `reengage demo` printed it beside the database. */
export function adminPassword(): string {
  const printed = readFileSync(path.join(process.env.E2E_DB_DIR ?? "/tmp", "demo.txt"), "utf8");
  const found = printed.match(/has its own password, shown only now: (\S+)/);
  if (!found) throw new Error("the demo did not print the admin's password");
  return found[1];
}

/** Signs in as the demo admin (its own password, then the sign-in code). */
export async function signInAdmin(page: Page): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill("admin@demo.test");
  await page.getByLabel("Password").fill(adminPassword());
  await page.getByRole("button", { name: "Sign in" }).click();
  await giveCode(page, "admin@demo.test");
}
