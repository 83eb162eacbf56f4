import { expect, test, type Page } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { waitForHydration } from "./hydration";
import { DEMO_PASSWORD, freshCode } from "./session";

// The e2e server holds the demo branch (playwright.config.ts): staff of every role share the
// demo password. Sign-in is a plain form, so it works before the wasm loads.

/** Collects every Content-Security-Policy violation the page reports. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(message.text());
  });
  return violations;
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a coach signs in with the plain form", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("E-mail").fill("coach@demo.test");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/today$/);
  });

  test("a wrong password is refused in place without saying which half was wrong", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("E-mail").fill("aide@demo.test");
    await page.getByLabel("Password").fill("not the demo password at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/signin\?failed=1$/);
    await expect(page.getByRole("alert")).toHaveText(
      "That e-mail and password do not match an active account. Check both and try again.",
    );
  });
});

test.describe("with JavaScript", () => {
  test("the hydrated pages run under the Content-Security-Policy with no violation", async ({ page }) => {
    const violations = watchCsp(page);
    for (const path of ["/", "/notice?appointment=2026-12-08", "/signin"]) {
      const response = await page.goto(path);
      expect(response?.headers()["content-security-policy"]).toContain("'wasm-unsafe-eval'");
      await waitForHydration(page);
    }
    expect(violations).toEqual([]);
  });

  test("the keyboard alone signs a supervisor in", async ({ page }) => {
    await page.goto("/signin");
    await waitForHydration(page);
    await page.getByLabel("E-mail").focus();
    await page.keyboard.type("manager@demo.test");
    await page.keyboard.press("Tab");
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press("Enter");
    // A supervisor gives the code of their authenticator app next; the field has the focus.
    await expect(page).toHaveURL(/\/signin\/code$/);
    await expect(page.getByLabel("Code", { exact: true })).toBeFocused();
    await page.keyboard.type(await freshCode("manager@demo.test"));
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/today$/);
  });
});

test.describe("a supervisor's second factor (TOTP)", () => {
  test.use({ javaScriptEnabled: false });

  test("the password alone opens nothing; a wrong code is refused; the app's code signs in", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("E-mail").fill("lead@demo.test");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/signin\/code$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign-in code");
    await expect(page.getByText("Signing in as lead@demo.test.")).toBeVisible();

    // Not signed in yet: Today sends them back to sign in.
    await page.goto("/today");
    await expect(page).toHaveURL(/\/signin\?next=\/today$/);

    await page.goto("/signin/code");
    const right = await freshCode("lead@demo.test");
    const wrong = right.replace(/^./, (digit) => String((Number(digit) + 5) % 10));
    await page.getByLabel("Code", { exact: true }).fill(wrong);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/signin\/code\?failed=1$/);
    await expect(page.getByRole("alert")).toContainText("That code is not right");
    await expect(page.getByLabel("Code", { exact: true })).toHaveValue("");

    await page.getByLabel("Code", { exact: true }).fill(right);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/today$/);
  });

  test("a code page with no sign-in under way goes back to sign in", async ({ page }) => {
    await page.goto("/signin/code");
    await expect(page).toHaveURL(/\/signin\?expired=1$/);
    await expect(page.getByRole("status")).toContainText("Sign in again");
  });
});

test.describe("accessibility (axe-core, WCAG 2.1 A and AA)", () => {
  for (const query of ["", "?failed=1"]) {
    test(`no violations on the sign-in code page${query}`, async ({ page }) => {
      await page.goto("/signin");
      await page.getByLabel("E-mail").fill("manager@demo.test");
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/\/signin\/code$/);
      await page.goto(`/signin/code${query}`);
      await waitForHydration(page);
      const results = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      expect(results.violations).toEqual([]);
    });
  }

  for (const path of ["/signin", "/signin?failed=1", "/signin?throttled=1"]) {
    test(`no violations on ${path}`, async ({ page }) => {
      await page.goto(path);
      await waitForHydration(page);
      const results = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      expect(results.violations).toEqual([]);
    });
  }
});
