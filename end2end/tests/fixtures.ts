// The suite's `test`: Playwright's, with one check around every test — no answer to a form
// carries typed text in a URL (ASVS V14.2.1). A refused form is answered in place with its page
// (422), so its fields never reach a redirect's `Location`, the browser history, a proxy's log
// or a `Referer`. A redirect after a form may say only what happened, in one word.
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";

/// What a redirect after a form may say: what was saved (and the episode's version it left,
/// a number), what waits on the phone, or that a sign-in failed.
const OUTCOMES = new Set(["saved", "version", "queued", "failed", "throttled"]);
/// And the page a sign-in returns to: a path of the app, never a query.
const NEXT_PAGE = /^\/[A-Za-z0-9/_-]*$/;

/// What this worker's current test saw carried (a worker runs one test at a time).
const carried: string[] = [];

/// Checks every answer to a form in `context`'s pages; the suite's `test` watches its own
/// context, and a test that opens another person's browser watches that one too.
export function watchRedirects(context: BrowserContext): void {
  context.on("response", (response) => {
    const location = response.headers()["location"];
    if (response.request().method() !== "POST" || !location) return;
    // Re-engage's own answers (not the OpenID Provider's, whose redirects carry its code).
    if (new URL(response.url()).port !== process.env.E2E_PORT) return;
    const sent = new URLSearchParams(response.request().postData() ?? "");
    const url = new URL(location, response.url());
    for (const [name, value] of url.searchParams) {
      const allowed = name === "next" ? NEXT_PAGE.test(value) : OUTCOMES.has(name) && /^[a-z0-9-]+$/.test(value);
      if (!allowed) carried.push(location);
    }
    // Nor any value the form sent (a free text, a day), as a word of its query or fragment.
    const words = new Set(decodeURIComponent(url.search + url.hash).split(/[?&=#+]/));
    for (const [, value] of sent) {
      const typed = value.trim();
      if (typed !== "" && !/^\d+$/.test(typed) && words.has(typed)) {
        carried.push(`${location} carries "${typed}"`);
      }
    }
  });
}

/// The page's own files, which the browser and the offline worker (public/sw.js) may fetch at
/// any moment: the worker's script, the manifest and its icons, the wasm bundle and styles.
const STATIC_FILE = /^\/(sw\.js|queue-db\.js|pwa\.js|manifest\.webmanifest|robots\.txt|favicon\.ico|icons\/|pkg\/)/;

/// Every request `page` makes from now on that could send or ask for data — any method but a
/// GET of one of the page's own files — as "METHOD /path". A test of instant feedback expects
/// it to stay empty: what the page says before "Save" comes from `core` in the browser.
export function watchSends(page: Page): string[] {
  const sends: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (request.method() === "GET" && STATIC_FILE.test(url.pathname)) return;
    sends.push(`${request.method()} ${url.pathname}`);
  });
  return sends;
}

export const test = base.extend<{ redirectsCarryNoTypedText: void }>({
  redirectsCarryNoTypedText: [
    async ({ context }, use) => {
      carried.length = 0;
      watchRedirects(context);
      await use();
      expect([...carried], "a redirect after a form carried typed text").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { BrowserContext, Locator, Page } from "@playwright/test";
