import { expect, test, type Page } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";
import { waitingStaffings, workRows } from "./worklist";

// Today: the coach's open work from the demo branch, most urgent first (core's worklist:
// R2 first contact, R9 follow-up, R12 invitation, R15 notice, R17 case review).


test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a coach sees the work list whole, grouped and counted", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
    await expect(page.getByRole("status")).toContainText(/\d+ overdue · \d+ due today · \d+ at risk · \d+ upcoming/);
    await expect(page.getByRole("heading", { level: 2, name: "Overdue" })).toBeVisible();
    const rows = workRows(page);
    expect(await rows.count()).toBeGreaterThan(5);
    // Each row: what is due by when, and why with the rule.
    await expect(rows.first()).toContainText(/(Overdue by \d+ business days?|Due today|Due next business day|Due in \d+ business days) by \w+day, \w+ \d+, \d{4}/);
    await expect(rows.first()).toContainText(/\(R\d+\)/);
  });

  test("a signed-out visitor is sent to sign in", async ({ page }) => {
    await page.goto("/today");
    await expect(page).toHaveURL(/\/signin\?next=\/today$/);
  });
});

test.describe("with JavaScript", () => {
  test("one tap calls the participant", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    await waitForHydration(page);
    const call = page.getByRole("link", { name: /^Call / }).first();
    await expect(call).toHaveAttribute("href", /^tel:555-01\d\d$/);
    // R7: a number out of service suggests an offsite visit instead of a call.
    await expect(page.getByText("Phone not in service — consider an offsite visit (R7)").first()).toBeVisible();
  });

  test("the keyboard goes from sign-out to a new miss, the first row, its actions, and signs out", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    await waitForHydration(page);
    await page.getByRole("button", { name: /^Sign out/ }).focus();
    await expect(page.getByRole("button", { name: /^Sign out/ })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Record a missed activity" })).toBeFocused();
    // Then the participant search, which department staff reach from Today.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Participants" })).toBeFocused();
    // The staffings waiting for the coach's confirmation, if another test left one (R18).
    const waiting = waitingStaffings(page);
    for (let i = 0; i < (await waiting.count()); i++) {
      await page.keyboard.press("Tab");
      await expect(waiting.nth(i)).toBeFocused();
    }
    // The first row: the participant (opens the episode), then its call and attempt actions.
    const firstRow = workRows(page).first();
    await page.keyboard.press("Tab");
    await expect(firstRow.getByRole("link").first()).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(firstRow.getByRole("link", { name: /^(Call|Log attempt) / }).first()).toBeFocused();
    await page.getByRole("button", { name: /^Sign out/ }).focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/signin$/);
    await page.goto("/today");
    await expect(page).toHaveURL(/\/signin\?next=\/today$/);
  });

  test("a contractor's list holds only its referrals", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    const coachRows = await workRows(page).count();
    await page.getByRole("button", { name: /^Sign out/ }).click();
    await signIn(page, "contractor@demo.test");
    const contractorRows = await workRows(page).count();
    expect(contractorRows).toBeGreaterThan(0);
    expect(contractorRows).toBeLessThan(coachRows);
  });

  test("no WCAG 2.1 AA violation (axe-core)", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    await waitForHydration(page);
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(results.violations).toEqual([]);
  });
});
