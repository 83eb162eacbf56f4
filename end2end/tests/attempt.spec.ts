import { expect, test, type Page, watchSends } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { longDate, officeDate } from "./dates";
import { waitForHydration } from "./hydration";
import { openEpisode } from "./records";
import { signIn } from "./session";
import { workRows } from "./worklist";

// The contact-attempt form (R7, R9, R10, R11): two taps and an optional note; the feedback
// comes from core before anything is submitted; the server re-checks and its answer wins.

// The demo's episodes 1, 9, 17, 25 and 33 are open, just missed, with no attempt yet. The
// phone and desktop projects run at once on one database: a test that saves works on an
// episode of its own, so no two change the same episode.
function own(phone: number, desktop: number): number {
  return test.info().project.name === "phone" ? phone : desktop;
}


/** Opens the form: from Today's first row (one tap), or for episode `id`. */
async function openAttemptForm(page: Page, id?: number): Promise<string> {
  await signIn(page, "coach@demo.test");
  if (id === undefined) {
    await workRows(page).first().getByRole("link", { name: /^Log attempt / }).click();
  } else {
    await page.goto(`/episodes/${id}/attempt`);
  }
  await expect(page).toHaveURL(/\/episodes\/\d+\/attempt$/);
  await expect(page.getByRole("heading", { level: 1, name: "Log a contact attempt" })).toBeVisible();
  const back = page.getByRole("link", { name: /^← / });
  return ((await back.textContent()) ?? "").replace("← ", "").trim();
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("two taps save an attempt and the episode shows it", async ({ page }) => {
    const name = await openAttemptForm(page, own(1, 9));
    // The defaults: phone, message left, 2 business days — with the R9 day already said.
    await expect(page.getByLabel("Phone", { exact: true })).toBeChecked();
    await expect(page.getByLabel("Message left")).toBeChecked();
    await expect(page.getByRole("status")).toContainText(/Follow-up due by \w+day, \w+ \d+, \d{4} if there is no reply\. \(R9\)/);
    await page.getByRole("button", { name: "Save attempt" }).click();
    await expect(page).toHaveURL(/\/episodes\/\d+\?saved=attempt&version=\d+$/);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByText("The attempt is saved.")).toBeVisible();
    await expect(page.getByText(/Phone, message left, by CD/).last()).toBeVisible();
  });

  test("a refusal is shown in place and keeps what was typed", async ({ page }) => {
    await openAttemptForm(page, 33);
    await page.getByLabel("Date of the attempt").fill("2020-01-06");
    await page.getByLabel("E-mail").check();
    await page.getByLabel("Note (optional)").fill("Sent the class schedule");
    await page.getByRole("button", { name: "Save attempt" }).click();
    await expect(page).toHaveURL(/\/attempt$/);
    await expect(page.getByRole("alert")).toContainText("Your entries are kept below");
    await expect(page.getByLabel("Date of the attempt")).toHaveValue("2020-01-06");
    await expect(page.getByLabel("E-mail")).toBeChecked();
    await expect(page.getByLabel("Note (optional)")).toHaveValue("Sent the class schedule");
  });
});

test.describe("with JavaScript", () => {
  test("the feedback follows each choice before anything is sent", async ({ page }) => {
    await openAttemptForm(page);
    await waitForHydration(page);
    const requests = watchSends(page);
    const status = page.getByRole("status");
    await page.getByLabel("Date of the attempt").fill("2026-11-24");
    await expect(status).toContainText("Follow-up due by Monday, November 30, 2026 if there is no reply. (R9)");
    await page.getByLabel("3 business days").check();
    await expect(status).toContainText("Follow-up due by Tuesday, December 1, 2026 if there is no reply. (R9)");
    await page.getByLabel("Offsite visit").check();
    await page.getByLabel("Address invalid").check();
    await expect(status).toContainText("ONE missing-information request to verify the address will be added. (R11)");
    // No message left: no response window to pick (R9).
    await expect(page.getByLabel("2 business days")).toBeDisabled();
    await page.getByLabel("Phone not in service").check();
    await expect(status).toContainText("consider an in-person offsite visit. (R7)");
    expect(requests).toEqual([]);
  });

  test("the keyboard alone logs an attempt", async ({ page }) => {
    await openAttemptForm(page, own(17, 25));
    await waitForHydration(page);
    await page.getByLabel("Note (optional)").focus();
    await page.keyboard.type("Left a voicemail about Monday's class");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/episodes\/\d+\?saved=attempt&version=\d+$/);
    await expect(page.getByText("Left a voicemail about Monday's class").last()).toBeVisible();
  });

  test("an attempt entered late, dated before one already logged, takes its place by its day (R10)", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    const id = await openEpisode(page, "Quinn", test.info().project.name === "phone" ? "Latenote" : "Backdated", officeDate(-6));
    const log = async (on: string, outcome: string) => {
      await page.goto(`/episodes/${id}/attempt`);
      await waitForHydration(page);
      await page.getByLabel("Date of the attempt").fill(on);
      await page.getByLabel(outcome).check();
      await page.getByRole("button", { name: "Save attempt" }).click();
      await expect(page).toHaveURL(/\/episodes\/\d+\?saved=attempt&version=\d+$/);
    };
    await log(officeDate(0), "No answer");
    // The voicemail of three days ago, written up today: accepted, and listed first.
    await log(officeDate(-3), "Message left");
    const attempts = page.getByRole("listitem").filter({ hasText: /, by CD$/ });
    await expect(attempts).toHaveCount(2);
    await expect(attempts.first()).toContainText(`${longDate(officeDate(-3))} — Phone, message left, by CD`);
    await expect(attempts.last()).toContainText(`${longDate(officeDate(0))} — Phone, no answer, by CD`);
  });

  test("no WCAG 2.1 AA violation (axe-core)", async ({ page }) => {
    await openAttemptForm(page, 2);
    await waitForHydration(page);
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(results.violations).toEqual([]);
  });
});
