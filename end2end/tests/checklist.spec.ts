import { expect, test } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";

// The staffing preparation checklist (R21): what the record answers is ticked by core, the
// rest are reminders; printable. Read only: the demo's episode 29 has an appointment.

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("one tap from the episode opens the checklist, whole", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    await page.goto("/episodes/29");
    await page.getByRole("link", { name: "Staffing preparation checklist" }).click();
    await expect(page).toHaveURL(/\/episodes\/29\/checklist$/);
    await expect(page.getByRole("heading", { level: 1, name: "Staffing preparation checklist" })).toBeVisible();
    await expect(page.getByRole("listitem").filter({ hasText: "(R13)" })).toContainText("Done");
    await expect(page.getByRole("listitem").filter({ hasText: "(R21)" })).toContainText("To check");
    // Nothing to print with until the page is live.
    await expect(page.getByRole("button", { name: "Print the checklist" })).toHaveCount(0);
  });
});

test.describe("with JavaScript", () => {
  test("the print button appears, and no WCAG 2.1 AA violation (axe-core)", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    await page.goto("/episodes/29/checklist");
    await waitForHydration(page);
    await expect(page.getByRole("button", { name: "Print the checklist" })).toBeVisible();
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(results.violations).toEqual([]);
  });

  test("a contractor is refused the checklist", async ({ page }) => {
    await signIn(page, "contractor@demo.test");
    const response = await page.goto("/episodes/29/checklist");
    expect([403, 404]).toContain(response?.status());
  });
});
