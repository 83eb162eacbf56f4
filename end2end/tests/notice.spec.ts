import { expect, test } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { waitForHydration } from "./hydration";

// R15: the DHS 7869 notice is mailed at least 7 calendar days before the appointment.
// R16: the appointment is on a business day.

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("R15 the server renders the mailing day for the date in the URL", async ({ page }) => {
    await page.goto("/notice?appointment=2026-12-08");
    await expect(page.getByRole("status")).toHaveText(
      "The DHS 7869 notice must be mailed by Tuesday, December 1, 2026",
    );
    await expect(page.getByLabel("Re-engagement appointment date")).toHaveValue("2026-12-08");
  });

  test("R15 the form works as plain HTML", async ({ page }) => {
    await page.goto("/notice");
    await expect(page.getByRole("status")).toHaveText("Pick a date to see the mailing deadline.");
    await page.getByLabel("Re-engagement appointment date").fill("2026-12-14");
    await page.getByRole("button", { name: "Show mailing date" }).click();
    await expect(page).toHaveURL(/\/notice\?appointment=2026-12-14$/);
    await expect(page.getByRole("status")).toHaveText(
      "The DHS 7869 notice must be mailed by Monday, December 7, 2026",
    );
  });
});

test.describe("after hydration", () => {
  test("R15 typing a new date changes the sentence with no navigation", async ({ page }) => {
    await page.goto("/notice?appointment=2026-12-08");
    await waitForHydration(page);
    // A navigation would wipe this marker.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));

    await page.getByLabel("Re-engagement appointment date").fill("2027-01-06");
    await expect(page.getByRole("status")).toHaveText(
      "The DHS 7869 notice must be mailed by Wednesday, December 30, 2026",
    );
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(requests).toEqual([]);
    await expect(page).toHaveURL(/appointment=2026-12-08$/);
  });

  test("R15 the mailing day moves back past Thanksgiving", async ({ page }) => {
    await page.goto("/notice");
    await waitForHydration(page);
    await page.getByLabel("Re-engagement appointment date").fill("2026-12-04");
    await expect(page.getByRole("status")).toHaveText(
      "The DHS 7869 notice must be mailed by Wednesday, November 25, 2026",
    );
    await page.getByLabel("Re-engagement appointment date").fill("2027-01-01");
    await expect(page.getByRole("status")).toContainText(
      "Friday, January 1, 2027 is not a business day.",
    );
  });

  test("R16 a weekend appointment is explained, not computed", async ({ page }) => {
    await page.goto("/notice");
    await waitForHydration(page);
    await page.getByLabel("Re-engagement appointment date").fill("2026-12-05");
    await expect(page.getByRole("status")).toHaveText(
      "Saturday, December 5, 2026 is not a business day. Choose a weekday the office is open for the re-engagement appointment (R16).",
    );
    // Clearing the date goes back to the prompt.
    await page.getByLabel("Re-engagement appointment date").fill("");
    await expect(page.getByRole("status")).toHaveText("Pick a date to see the mailing deadline.");
  });

  test("the skip link is the first stop for the keyboard", async ({ page }) => {
    await page.goto("/notice");
    await waitForHydration(page);
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to main content" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/#main$/);
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Re-engagement appointment date")).toBeFocused();
  });
});

test.describe("accessibility (axe-core, WCAG 2.1 A and AA)", () => {
  for (const address of [
    "/",
    "/notice",
    "/notice?appointment=2026-12-08",
    "/notice?appointment=2026-12-05",
    "/no-such-page",
    "/signin",
    "/signin?failed=1",
  ]) {
    test(`no violations on ${address}`, async ({ page }) => {
      await page.goto(address);
      await waitForHydration(page);
      const results = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      expect(results.violations).toEqual([]);
    });
  }
});
