import { expect, test, type Page } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";

// Agency single sign-on through a real OpenID Provider (npm `oidc-provider`, started on
// loopback by playwright.config.ts with Re-engage as its one client). Its development login
// form takes any login as an account whose e-mail is that login. Re-engage matches the
// provider's verified e-mail to a staff account; the provider's own MFA is the second factor,
// so a supervisor gives no Re-engage code.

/** The provider's page loads a web font from the internet: tests talk to loopback only. */
async function loopbackOnly(page: Page): Promise<void> {
  await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
}

/** From Re-engage's sign-in page through the provider's login and consent, as `login`. */
async function throughProvider(page: Page, login: string): Promise<void> {
  await loopbackOnly(page);
  await page.goto("/signin");
  await page.getByRole("link", { name: "Sign in with your agency account" }).click();
  await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:${process.env.OIDC_PORT}/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("the provider checks this, not Re-engage");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a coach signs in with the agency account and lands on Today", async ({ page }) => {
    await throughProvider(page, "coach@demo.test");
    await expect(page).toHaveURL(/\/today$/);
    await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
    await expect(page.getByRole("button", { name: /^Sign out/ })).toBeVisible();
  });

  test("a supervisor signs in with the agency account and no Re-engage code", async ({ page }) => {
    await throughProvider(page, "manager@demo.test");
    await expect(page).toHaveURL(/\/today$/);
    await page.goto("/branch");
    await expect(page.getByRole("heading", { level: 1, name: /Branch at a glance/ })).toBeVisible();
  });

  test("an agency account with no Re-engage account is turned away, nothing created", async ({ page }) => {
    await throughProvider(page, "stranger@agency.test");
    await expect(page).toHaveURL(/\/signin\?sso=unknown$/);
    await expect(page.getByRole("alert")).toContainText("has no Re-engage account");
    await page.goto("/today");
    await expect(page).toHaveURL(/\/signin\?next=\/today$/);
  });

  test("an e-mail the provider has not verified is not matched", async ({ page }) => {
    await throughProvider(page, "unverified-coach@demo.test");
    await expect(page).toHaveURL(/\/signin\?sso=unverified$/);
    await expect(page.getByRole("alert")).toContainText("not verified");
  });

  test("an answer with no sign-in of this browser under way is refused", async ({ page }) => {
    await page.goto("/signin/sso/callback?code=forged&state=forged");
    await expect(page).toHaveURL(/\/signin\?sso=expired$/);
    await expect(page.getByRole("alert")).toContainText("took too long");
  });
});

test("the sign-in page with single sign-on has no axe-core violation", async ({ page }) => {
  await page.goto("/signin?sso=unknown");
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  expect(results.violations).toEqual([]);
});
