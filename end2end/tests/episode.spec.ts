import { expect, test, type Page } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";
import { workRows } from "./worklist";

// The participant and episode page: who, where the episode stands (the stages of docs/rules.md
// §3), every deadline from core with its status (R2, R9, R12, R15, R17), the history.


/** From Today, one tap on the first participant of the list. */
async function openFirstEpisode(page: Page): Promise<string> {
  const first = workRows(page).first().getByRole("link").first();
  const name = (await first.textContent())?.trim() ?? "";
  await first.click();
  await expect(page).toHaveURL(/\/episodes\/\d+$/);
  return name;
}

async function expectEpisode(page: Page, name: string): Promise<void> {
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByRole("list", { name: "Re-engagement stages" })).toBeVisible();
  await expect(page.locator("[aria-current=step]")).toHaveCount(1);
  const deadlines = page.getByRole("table", { name: /^Deadlines on / });
  await expect(deadlines).toBeVisible();
  await expect(deadlines.getByRole("row").nth(1)).toContainText(/R(2|5|6)/);
  await expect(deadlines).toContainText(/(Met on|Overdue by|Due today|Due next business day|Due in)/);
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("one tap from Today opens the whole episode", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    const name = await openFirstEpisode(page);
    await expectEpisode(page, name);
    await expect(page.getByText("Case number")).toBeVisible();
  });
});

test.describe("with JavaScript", () => {
  test("one tap from Today opens the episode, and back", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    await waitForHydration(page);
    const name = await openFirstEpisode(page);
    await expectEpisode(page, name);
    await page.getByRole("link", { name: "← Today" }).click();
    await expect(page).toHaveURL(/\/today$/);
  });

  test("the keyboard opens an episode from Today", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    await waitForHydration(page);
    const first = workRows(page).first().getByRole("link").first();
    await first.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/episodes\/\d+$/);
  });

  test("an episode out of reach is not found", async ({ page }) => {
    await signIn(page, "contractor@demo.test");
    const response = await page.goto("/episodes/999999");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("alert")).toHaveText("There is no episode 999999.");
  });

  test("no WCAG 2.1 AA violation (axe-core)", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    await openFirstEpisode(page);
    await waitForHydration(page);
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(results.violations).toEqual([]);
  });
});
