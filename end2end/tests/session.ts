import { expect, type Page } from "@playwright/test";

/** The password of every demo account (the e2e server holds the demo branch). */
export const DEMO_PASSWORD = "riverbend demo branch only";

/** Signs in through the plain form and lands on Today. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/today$/);
}
