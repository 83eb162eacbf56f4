import { expect, test } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { waitForHydration } from "./hydration";
import { DEMO_PASSWORD, signIn } from "./session";

// Staff change their own password at /account/password, with their current one. Here only
// refusals are tried: the demo accounts are shared by every test running at once.

test("the password page is reached from Today, works from the keyboard, and a refusal keeps nothing typed", async ({ page }) => {
  await signIn(page, "coach@demo.test");
  await page.getByRole("link", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Change your password");
  await waitForHydration(page);

  await page.getByLabel("Current password").focus();
  await page.keyboard.type("not the demo password at all");
  await page.keyboard.press("Tab");
  await page.keyboard.type("a lantern for the winter months");
  await page.keyboard.press("Tab");
  await page.keyboard.type("a lantern for the winter months");
  await page.keyboard.press("Enter");

  // Answered in place: the same address, the reason, and no password in the page.
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByRole("alert")).toContainText("Your current password is not right");
  await expect(page.getByLabel("Current password")).toHaveValue("");
  await expect(page.getByLabel("New password", { exact: true })).toHaveValue("");
  expect(await page.content()).not.toContain("a lantern for the winter months");

  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  expect(results.violations).toEqual([]);

  // The two new ones must match; the current one is still the demo's.
  await page.getByLabel("Current password").fill(DEMO_PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill("a lantern for the winter months");
  await page.getByLabel("New password again").fill("a lantern for the winter month");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("alert")).toContainText("The two new passwords differ");
});
