import { expect, test } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { longDate, officeDate } from "./dates";
import { waitForHydration } from "./hydration";
import { openEpisode } from "./records";
import { signIn } from "./session";

// Good cause given by the case manager alone (R23): at any stage before a decision, without a
// staffing, with its day and reason; the episode closes with no disqualification. Each test
// that saves opens an episode of its own, for a participant made for it.

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a reason left out is refused in place, then good cause closes the episode", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    const id = await openEpisode(page, "Sasha", test.info().project.name === "phone" ? "Goodcause" : "Exempted", officeDate(-1));
    await page.getByRole("link", { name: "Give good cause (case manager)" }).click();
    await expect(page).toHaveURL(new RegExp(`/episodes/${id}/good-cause$`));
    await expect(page.getByRole("heading", { level: 1, name: "Give good cause" })).toBeVisible();
    await expect(page.getByLabel("Day good cause is given")).toHaveValue(officeDate(0));
    // Only spaces for the reason: the browser lets it through, the server does not.
    await page.getByLabel("The reason for good cause").fill("   ");
    await page.getByRole("button", { name: "Give good cause and close the episode" }).click();
    await expect(page).toHaveURL(/\/good-cause$/);
    await expect(page.getByRole("alert")).toContainText("Say why there is good cause, in at most 2,000 characters: it is recorded and narrated (R23).");
    await page.getByLabel("The reason for good cause").fill("A hospital stay the week of the appointment");
    await page.getByRole("button", { name: "Give good cause and close the episode" }).click();
    await expect(page).toHaveURL(new RegExp(`/episodes/${id}\\?saved=good-cause$`));
    await expect(page.getByText("Good cause is recorded: the episode is closed with no disqualification (R23).")).toBeVisible();
    await expect(page.getByText("This episode is closed.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Give good cause (case manager)" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Record contact made" })).toHaveCount(0);
  });
});

test.describe("with JavaScript", () => {
  test("the keyboard gives good cause, and no WCAG 2.1 AA violation (axe-core)", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    const missed = officeDate(-2);
    await openEpisode(page, "Sasha", test.info().project.name === "phone" ? "Keyboard" : "Tabkey", missed);
    await page.getByRole("link", { name: "Give good cause (case manager)" }).click();
    await waitForHydration(page);
    await expect(page.locator(".lead")).toContainText(`missed the family coach appointment on ${longDate(missed)}`);
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(results.violations).toEqual([]);
    await page.getByLabel("The reason for good cause").focus();
    await page.keyboard.type("The participant was exempt: a new baby");
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Give good cause and close the episode" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\?saved=good-cause$/);
    await expect(page.getByText("This episode is closed.")).toBeVisible();
  });

  test("a contractor is not offered good cause", async ({ page }) => {
    await signIn(page, "contractor@demo.test");
    await page.goto("/episodes/1");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("link", { name: "Give good cause (case manager)" })).toHaveCount(0);
    const response = await page.goto("/episodes/1/good-cause");
    expect([403, 404]).toContain(response?.status());
  });
});
