import type { Page } from "@playwright/test";

/** Waits until the app has hydrated (`<body data-hydrated>`); a click before that is lost. */
export async function waitForHydration(page: Page): Promise<void> {
  await page.locator("body[data-hydrated]").waitFor({ state: "attached" });
}
