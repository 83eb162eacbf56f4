import type { Locator, Page } from "@playwright/test";

/** The rows of Today's work list, each with its "Log attempt" action. The staffings waiting
 * for the signed-in person's confirmation (R18) are listed above them, while a staffing of
 * another test waits for the coach. */
export function workRows(page: Page): Locator {
  return page.getByRole("listitem").filter({ has: page.getByRole("link", { name: /^Log attempt / }) });
}

/** The links to the staffings waiting for the signed-in person's confirmation (R18). */
export function waitingStaffings(page: Page): Locator {
  return page.getByRole("region", { name: "Staffings waiting for your confirmation" }).getByRole("link");
}
