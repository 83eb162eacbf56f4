import { expect, test, watchRedirects, type BrowserContext, type Page } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { officeDate } from "./dates";
import { waitForHydration } from "./hydration";
import { newParticipant, openEpisode } from "./records";
import { DEMO_PASSWORD, signIn } from "./session";

// The phone in the field (public/sw.js, public/pwa.js): Today and the episodes a coach
// opened are kept on the phone and open with no network, marked offline; an attempt, a
// contact or a missed activity logged with no network waits on the phone and is sent once
// when the network returns — or, refused or overtaken by a newer change, stays with its
// reason; the session warns before its idle end; signing in again returns to the page with
// what was typed; signing out leaves nothing of the person on the phone.
//
// `setOffline` does not cut the service worker's own requests, so "no network" here is both:
// the browser offline and every request, the worker's too, refused
// (PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS, set in playwright.config.ts).

function own(name: string): string {
  return `${name}${test.info().project.name === "phone" ? "Phone" : "Desk"}`;
}

async function networkOff(context: BrowserContext): Promise<void> {
  await context.setOffline(true);
  await context.route("**/*", (route) => route.abort("internetdisconnected"));
}

async function networkOn(context: BrowserContext): Promise<void> {
  await context.unroute("**/*");
  await context.setOffline(false);
}

/** Waits until the service worker controls the page, then opens each of `paths` so it is kept. */
async function keep(page: Page, paths: string[]): Promise<void> {
  // A page opened while the worker was still installing is not controlled by it: reload it.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  if (!(await page.evaluate(() => navigator.serviceWorker.controller != null))) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null);
  for (const path of paths) {
    await page.goto(path);
    await expect(page.locator("main h1")).toBeVisible();
  }
}

/** The episode as the server has it. */
async function stored(page: Page, id: number): Promise<{ version: number; facts: { attempts: { note: string | null }[]; contact_made: unknown } }> {
  const response = await page.request.get(`/api/v1/episodes/${id}`);
  expect(response.status()).toBe(200);
  return response.json();
}

test("the app can be installed: a manifest starting at Today, with its icons", async ({ page }) => {
  const response = await page.request.get("/manifest.webmanifest");
  expect(response.status()).toBe(200);
  const manifest = await response.json();
  expect(manifest).toMatchObject({ name: "Re-engage", start_url: "/today", display: "standalone" });
  for (const size of ["192x192", "512x512"]) {
    const icon = manifest.icons.find((i: { sizes: string }) => i.sizes === size);
    expect(icon, size).toBeTruthy();
    expect((await page.request.get(icon.src)).headers()["content-type"]).toContain("image/png");
  }
  await page.goto("/signin");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
});

test("the release's files come by hashed name, as brotli, kept for a year; the worker keeps those very files", async ({ page }) => {
  const hashed = /^\/pkg\/reengage\.[A-Za-z0-9_-]{22}\.(wasm|js|css)$/;
  const wasmResponse = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith(".wasm"));
  await page.goto("/signin");
  const wasm = await wasmResponse;
  const wasmPath = new URL(wasm.url()).pathname;
  expect(wasmPath).toMatch(hashed);
  const headers = await wasm.allHeaders();
  expect(headers["content-encoding"]).toBe("br");
  expect(headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  expect(headers["content-type"]).toBe("application/wasm");
  const css = await page.locator('link[rel="stylesheet"]').first().getAttribute("href");
  expect(css ?? "").toMatch(hashed);
  // The worker's cache is this release's and holds the files the page loads.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  const wasmHash = wasmPath.split(".")[1];
  await expect
    .poll(() =>
      page.evaluate(async (name) => {
        if (!(await caches.has(name))) return [];
        const cache = await caches.open(name);
        return (await cache.keys()).map((r) => new URL(r.url).pathname);
      }, `reengage-assets-${wasmHash}`),
    )
    .toEqual(expect.arrayContaining([wasmPath, css]));
});

test("with no network Today and an episode still open; an attempt and a contact wait, then are saved once", async ({ page, context }) => {
  await signIn(page, "coach@demo.test");
  const id = await openEpisode(page, "Oona", own("Offline"), officeDate(0));
  await keep(page, ["/today", `/episodes/${id}`, `/episodes/${id}/attempt`, `/episodes/${id}/contact`]);
  const before = await stored(page, id);

  await networkOff(context);
  await page.goto("/today");
  await expect(page.getByRole("status").filter({ hasText: /Offline — as of \d{1,2}:\d{2}/ })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto(`/episodes/${id}`);
  await expect(page.getByText(/Offline — as of/)).toBeVisible();
  await expect(page.locator("main h1")).toContainText("Oona");

  // At the door: an offsite visit to an address that is not theirs, then contact made.
  // Core's feedback still answers, from the kept wasm (R11).
  await page.goto(`/episodes/${id}/attempt`);
  await waitForHydration(page);
  await page.getByLabel("Offsite visit").check();
  await page.getByLabel("Address invalid").check();
  await expect(page.getByRole("status").filter({ hasText: "(R11)" })).toContainText(
    "ONE missing-information request to verify the address will be added. (R11)",
  );
  await page.getByLabel("Note (optional)").fill("Knocked, spoke with her at the door");
  await page.getByRole("button", { name: "Save attempt" }).click();
  await expect(page).toHaveURL(new RegExp(`/episodes/${id}\\?queued=attempt$`));
  const queue = page.getByRole("region", { name: "On this phone, not sent yet" });
  await expect(queue).toContainText("1 waiting to send");
  await expect(queue).toContainText(/Contact attempt — Offsite.*waiting to send/);
  await page.goto(`/episodes/${id}/contact`);
  await page.getByRole("button", { name: "Save contact" }).click();
  await expect(page).toHaveURL(new RegExp(`/episodes/${id}\\?queued=contact$`));
  await expect(queue).toContainText("2 waiting to send");
  const accessibility = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(accessibility.violations).toEqual([]);
  await page.goto("/today");
  await expect(queue).toContainText("2 waiting to send");
  // Nothing reached the server.
  expect((await stored(page, id)).version).toBe(before.version);
  await page.close();

  // The page closed, the network back: the next page sends both, once.
  await networkOn(context);
  // (Background Sync may send them as soon as the network is back, or the page does.)
  const again = await context.newPage();
  await again.goto(`/episodes/${id}`);
  await expect.poll(async () => (await stored(again, id)).facts.attempts.length).toBe(1);
  // The page reloads itself once the steps are sent (or was loaded after they were).
  await expect(again.getByText("Knocked, spoke with her at the door").last()).toBeVisible({ timeout: 15_000 });
  await expect(again.getByRole("region", { name: "On this phone, not sent yet" })).toHaveCount(0);
  const after = await stored(again, id);
  expect(before.facts.attempts).toHaveLength(0);
  expect(after.facts.attempts).toHaveLength(1);
  expect(after.facts.attempts[0].note).toBe("Knocked, spoke with her at the door");
  expect(after.facts.contact_made).not.toBeNull();
  // Reloading sends nothing twice.
  await again.reload();
  expect((await stored(again, id)).facts.attempts).toHaveLength(1);
});

test("a missed activity recorded with no network waits on Today, then opens its episode once", async ({ page, context }) => {
  await signIn(page, "coach@demo.test");
  // A name of this run's own: the check counts this participant's open episodes by name.
  const last = own(`Missed${Math.random().toString(36).slice(2, 8)}`);
  const caseNumber = await newParticipant(page, "Mara", last);
  await keep(page, ["/today", "/missed"]);
  // The coach's open episodes of this participant, every page of the list read.
  const open = async (from: Page = page) => {
    let found = 0;
    for (let after = ""; ; ) {
      const response = await from.request.get(`/api/v1/episodes?limit=200${after ? `&after=${after}` : ""}`);
      expect(response.status()).toBe(200);
      const { episodes, next } = await response.json();
      found += episodes.filter((e: { participant: string }) => e.participant === `Mara ${last}`).length;
      if (!next) return found;
      after = next;
    }
  };
  expect(await open()).toBe(0);

  await networkOff(context);
  await page.goto("/missed");
  const select = page.getByLabel("Participant", { exact: true });
  const value = await select.locator("option", { hasText: caseNumber }).getAttribute("value");
  await select.selectOption(value ?? "");
  await page.getByLabel("Missed an appointment with the family coach").check();
  await page.getByLabel("What was missed").fill("family coach appointment");
  await page.getByLabel("Date of the miss").fill(officeDate(0));
  await page.getByRole("button", { name: "Record the miss" }).click();
  await expect(page).toHaveURL(/\/today\?queued=missed$/);
  await expect(page.getByRole("region", { name: "On this phone, not sent yet" })).toContainText(/Missed activity.*waiting to send/);

  // The page closed (an open page reloads itself once a step is sent, which would cut a
  // navigation short), the network back: the next page sends it, once.
  await page.close();
  await networkOn(context);
  const again = await context.newPage();
  await again.goto("/today");
  await expect.poll(() => open(again)).toBe(1);
  await expect(again.getByRole("region", { name: "On this phone, not sent yet" })).toHaveCount(0, { timeout: 15_000 });
  expect(await open(again)).toBe(1);
});

test("a queued step the server cannot read as typed is shown with its reason, and the steps after it are still sent", async ({ page, context }) => {
  await signIn(page, "coach@demo.test");
  const id = await openEpisode(page, "Ines", own("Unreadable"), officeDate(0));
  await keep(page, [`/episodes/${id}`, `/episodes/${id}/attempt`, `/episodes/${id}/contact`]);

  await networkOff(context);
  // A control character pasted into the note: the server answers 400, and sending it again
  // would only be refused again.
  await page.goto(`/episodes/${id}/attempt`);
  await page.getByLabel("Note (optional)").fill("Pasted from a text\u0007 message");
  await page.getByRole("button", { name: "Save attempt" }).click();
  await expect(page).toHaveURL(new RegExp(`/episodes/${id}\\?queued=attempt$`));
  await page.goto(`/episodes/${id}/contact`);
  await page.getByRole("button", { name: "Save contact" }).click();
  const queue = page.getByRole("region", { name: "On this phone, not sent yet" });
  await expect(queue).toContainText("2 waiting to send");

  // The page closed (an open page reloads itself once a step is sent, which would cut a
  // navigation short), the network back: the next page sends them.
  await page.close();
  await networkOn(context);
  const again = await context.newPage();
  await again.goto(`/episodes/${id}`);
  // The contact behind it was sent; the attempt stays, with the server's sentence.
  await expect.poll(async () => (await stored(again, id)).facts.contact_made).not.toBeNull();
  const kept = again.getByRole("region", { name: "On this phone, not sent yet" });
  await expect(kept).toContainText("1 not saved: see why below.", { timeout: 15_000 });
  await expect(kept).toContainText("control character U+0007");
  await expect(kept.getByRole("button", { name: "Open its form" })).toBeVisible();
  expect((await stored(again, id)).facts.attempts).toHaveLength(0);
});

test("a queued attempt overtaken by a change from another browser is shown with what changed; the newer change stands", async ({ page, context, browser, baseURL }) => {
  await signIn(page, "coach@demo.test");
  const id = await openEpisode(page, "Cora", own("Conflict"), officeDate(0));
  await keep(page, [`/episodes/${id}`, `/episodes/${id}/attempt`]);

  await networkOff(context);
  await page.goto(`/episodes/${id}/attempt`);
  await page.getByLabel("Note (optional)").fill("Logged at the door, offline");
  await page.getByRole("button", { name: "Save attempt" }).click();
  await expect(page.getByRole("region", { name: "On this phone, not sent yet" })).toContainText("1 waiting to send");

  // Meanwhile, from the office's desktop: another attempt on the same episode.
  const office = await browser.newContext({ baseURL });
  watchRedirects(office);
  const desk = await office.newPage();
  await signIn(desk, "coach@demo.test");
  await desk.goto(`/episodes/${id}/attempt`);
  await desk.getByLabel("Note (optional)").fill("Called from the office");
  await desk.getByRole("button", { name: "Save attempt" }).click();
  await expect(desk).toHaveURL(/\?saved=attempt&version=\d+$/);
  await office.close();

  await networkOn(context);
  await page.goto(`/episodes/${id}`);
  const queue = page.getByRole("region", { name: "On this phone, not sent yet" });
  await expect(queue).toContainText("1 not saved: see why below.");
  await expect(queue).toContainText(/This episode changed since you opened it \(attempt logged by /);
  await expect(queue.getByRole("button", { name: "Open its form" })).toBeVisible();
  const episode = await stored(page, id);
  expect(episode.facts.attempts.map((a) => a.note)).toEqual(["Called from the office"]);

  // Opened again, the step is back in its form as typed, on the episode as it is now.
  await queue.getByRole("button", { name: "Open its form" }).click();
  await expect(page).toHaveURL(new RegExp(`/episodes/${id}/attempt$`));
  await expect(page.getByLabel("Note (optional)")).toHaveValue("Logged at the door, offline");
  await page.getByRole("button", { name: "Save attempt" }).click();
  await expect(page).toHaveURL(/\?saved=attempt&version=\d+$/);
  await expect(page.getByRole("region", { name: "On this phone, not sent yet" })).toHaveCount(0);
  expect((await stored(page, id)).facts.attempts.map((a) => a.note).sort()).toEqual(["Called from the office", "Logged at the door, offline"]);
});

test("the session warns before its idle end, and after it ends signing in returns to the form with the text typed", async ({ page, context }) => {
  await page.clock.install();
  await signIn(page, "coach@demo.test");
  const id = await openEpisode(page, "Sage", own("Session"), officeDate(0));
  await page.goto(`/episodes/${id}/attempt`);
  await page.getByLabel("Note (optional)").fill("Long note typed while the session ran out");
  const idle = Number(await page.locator('meta[name="reengage-idle-minutes"]').getAttribute("content"));
  expect(idle).toBeGreaterThan(2);
  await page.clock.fastForward((idle - 2) * 60_000 + 1_000);
  const warning = page.getByRole("alertdialog", { name: "Still there?" });
  await expect(warning).toBeVisible();
  await expect(warning).toContainText("signed out in 2 minutes");
  await expect(warning.getByRole("button", { name: "Stay signed in" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(warning).toBeHidden();

  // The session ends all the same (here: its cookie is gone); the save leads to sign in…
  await context.clearCookies();
  await page.getByRole("button", { name: "Save attempt" }).click();
  await expect(page).toHaveURL(new RegExp(`/signin\\?next=/episodes/${id}/attempt$`));
  await expect(page.getByRole("status")).toContainText("Your session ended.");
  await page.getByLabel("E-mail").fill("coach@demo.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // …and back to the form, with what was typed.
  await expect(page).toHaveURL(new RegExp(`/episodes/${id}/attempt$`));
  await expect(page.getByLabel("Note (optional)")).toHaveValue("Long note typed while the session ran out");
  await expect(page.getByText("What you typed before is back in this form")).toBeVisible();
  await page.getByRole("button", { name: "Save attempt" }).click();
  await expect(page).toHaveURL(/\?saved=attempt&version=\d+$/);
  expect((await stored(page, id)).facts.attempts).toHaveLength(1);
  // Saved, the draft is gone from the phone.
  expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("reengage.draft:")))).toEqual([]);
});

test("signing out empties the phone's copies of the person's pages and drafts", async ({ page, context }) => {
  await signIn(page, "coach@demo.test");
  await keep(page, ["/today", "/missed"]);
  await page.getByLabel("What was missed").fill("a draft that must not stay");
  const kept = () => page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith("reengage-pages-")));
  expect(await kept()).toHaveLength(1);
  await page.goto("/today");
  await page.getByRole("button", { name: /^Sign out/ }).click();
  await expect(page).toHaveURL(/\/signin$/);
  expect(await kept()).toEqual([]);
  expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("reengage.")))).toEqual([]);
  // Offline, nothing of theirs opens.
  await networkOff(context);
  await page.goto("/today");
  await expect(page.getByRole("heading", { level: 1, name: "You are offline" })).toBeVisible();
  await networkOn(context);
});

test("a phone passed to another person never shows or sends the first person's pages or steps", async ({ page, context }) => {
  await signIn(page, "coach@demo.test");
  const id = await openEpisode(page, "Noor", own("Shared"), officeDate(0));
  await keep(page, ["/today", `/episodes/${id}`, `/episodes/${id}/attempt`]);
  await networkOff(context);
  await page.goto(`/episodes/${id}/attempt`);
  await page.getByLabel("Note (optional)").fill("Logged before handing the phone over");
  await page.getByRole("button", { name: "Save attempt" }).click();
  await expect(page.getByRole("region", { name: "On this phone, not sent yet" })).toContainText("1 waiting to send");

  // The coach's session ends without signing out, and a colleague signs in on the phone.
  await context.clearCookies();
  await networkOn(context);
  await signIn(page, "aide@demo.test");
  const pages = () =>
    page.evaluate(async () => {
      const names = (await caches.keys()).filter((name) => name.startsWith("reengage-pages-"));
      const paths: string[] = [];
      for (const name of names) {
        for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
      }
      return { names: names.length, paths };
    });
  // The colleague's first page emptied the coach's copies; only the colleague's Today is kept.
  await expect.poll(pages).toEqual({ names: 1, paths: ["/today"] });
  await expect(page.getByRole("region", { name: "On this phone, not sent yet" })).toHaveCount(0);
  await page.reload();
  expect((await stored(page, id)).facts.attempts).toHaveLength(0);
  await networkOff(context);
  await page.goto(`/episodes/${id}`);
  await expect(page.getByRole("heading", { level: 1, name: "You are offline" })).toBeVisible();
  await networkOn(context);

  // The colleague signs out; the coach signs in again, and the coach's step is sent then.
  await page.goto("/today");
  await page.getByRole("button", { name: /^Sign out/ }).click();
  await expect(page).toHaveURL(/\/signin$/);
  // Today, where the sign-in lands, sends the coach's step (and then reloads itself).
  await signIn(page, "coach@demo.test");
  await expect.poll(async () => (await stored(page, id)).facts.attempts.map((a) => a.note)).toEqual(["Logged before handing the phone over"]);
});

test("signing out with steps still waiting asks first, then leaves none of them on the phone", async ({ page, context }) => {
  await signIn(page, "coach@demo.test");
  const id = await openEpisode(page, "Wren", own("SignOut"), officeDate(0));
  await keep(page, ["/today", `/episodes/${id}/attempt`]);
  await networkOff(context);
  await page.goto(`/episodes/${id}/attempt`);
  await page.getByLabel("Note (optional)").fill("Logged, then signed out before sending");
  await page.getByRole("button", { name: "Save attempt" }).click();
  await expect(page.getByRole("region", { name: "On this phone, not sent yet" })).toContainText("1 waiting to send");
  // The phone's queue as IndexedDB holds it (read directly: the signed-out page loads no script).
  const waiting = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const opening = indexedDB.open("reengage", 1);
          opening.onerror = () => reject(opening.error);
          opening.onsuccess = () => {
            const count = opening.result.transaction("queue").objectStore("queue").count();
            count.onsuccess = () => {
              resolve(count.result);
              opening.result.close();
            };
            count.onerror = () => reject(count.error);
          };
        }),
    );
  expect(await waiting()).toBe(1);

  // Asked first (from Today, as kept on the phone): declined, nothing happens; accepted, the
  // phone keeps none of it.
  await page.goto("/today");
  await expect(page.getByText(/Offline — as of/)).toBeVisible();
  const asked: string[] = [];
  page.once("dialog", (dialog) => {
    asked.push(dialog.message());
    void dialog.dismiss();
  });
  await page.getByRole("button", { name: /^Sign out/ }).click();
  expect(asked[0]).toContain("1 step(s) logged on this phone have not been saved on the server");
  expect(await waiting()).toBe(1);
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: /^Sign out/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Signed out on this phone" })).toBeVisible();
  expect(await waiting()).toBe(0);
  expect(await page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith("reengage-pages-")))).toEqual([]);
  await networkOn(context);
  // Nothing of it reached the server.
  await signIn(page, "coach@demo.test");
  expect((await stored(page, id)).facts.attempts).toHaveLength(0);
});
