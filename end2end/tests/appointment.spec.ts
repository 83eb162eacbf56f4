import { expect, test, type Page, watchSends } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { officeDate } from "./dates";
import { waitForHydration } from "./hydration";
import { openEpisode } from "./records";
import { signIn } from "./session";

// Scheduling the re-engagement appointment (R12–R16): only business days; the DHS 7869
// mailing day — or "too soon" and the earliest day — is said as the day is picked.
// The demo's episodes 4, 12, 20, 28 and 36 wait for their invitation; a test that saves
// works on an episode of its own (the phone and desktop projects run at once).
function own(phone: number, desktop: number): number {
  return test.info().project.name === "phone" ? phone : desktop;
}

async function openForm(page: Page, id: number): Promise<void> {
  await signIn(page, "coach@demo.test");
  await page.goto(`/episodes/${id}`);
  await page.getByRole("link", { name: "Schedule the re-engagement appointment" }).click();
  await expect(page).toHaveURL(new RegExp(`/episodes/${id}/appointment$`));
  await expect(page.getByRole("heading", { level: 1, name: "Schedule the re-engagement appointment" })).toBeVisible();
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a day too soon is refused in place, then a good day is scheduled", async ({ page }) => {
    await openForm(page, own(12, 20));
    const day = page.getByLabel("Appointment day");
    await expect(page.getByRole("status")).toContainText(/Notice DHS 7869 must be mailed by \w+day, \w+ \d+, \d{4} \(R15\)\./);
    // The next business day is always too soon for a 7-day notice.
    const soonest = await day.locator("option").first().getAttribute("value");
    await day.selectOption(soonest ?? "");
    await page.getByRole("button", { name: "Schedule appointment" }).click();
    await expect(page.getByRole("alert")).toContainText(/Too soon for the 7-day notice: the earliest appointment is/);
    await expect(day).toHaveValue(soonest ?? "");
    // The earliest day it names, then saved.
    const earliest = await day.locator("option").nth(6).getAttribute("value");
    await day.selectOption(earliest ?? "");
    await page.getByRole("button", { name: "Schedule appointment" }).click();
    await expect(page).toHaveURL(/\?saved=appointment$/);
    await expect(page.getByText("The appointment is saved.")).toBeVisible();
    await expect(page.locator("[aria-current=step]")).toHaveText(/Appointment scheduled/);
  });
});

test.describe("with JavaScript", () => {
  test("two unsuccessful attempts let it be scheduled; with no written one, the page warns what a DQ1 will need (R13, R14)", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    const id = await openEpisode(page, "Jamie", test.info().project.name === "phone" ? "Nowriting" : "Phoneonly", officeDate(-14));
    const log = async (on: string, method: string, outcome: string) => {
      await page.goto(`/episodes/${id}/attempt`);
      await waitForHydration(page);
      await page.getByLabel("Date of the attempt").fill(on);
      await page.getByLabel(method, { exact: true }).check();
      await page.getByLabel(outcome).check();
      await page.getByRole("button", { name: "Save attempt" }).click();
      await expect(page).toHaveURL(/\/episodes\/\d+\?saved=attempt&version=\d+$/);
    };
    await log(officeDate(-14), "Phone", "Message left");
    // R14: one attempt is not enough; the server refuses the appointment.
    await page.goto(`/episodes/${id}/appointment`);
    await page.getByRole("button", { name: "Schedule appointment" }).click();
    await expect(page.getByRole("alert")).toContainText("Before a re-engagement appointment, make at least two contact attempts that did not reach the participant (R14).");
    await log(officeDate(-10), "E-mail", "No answer");
    await page.getByRole("link", { name: "Schedule the re-engagement appointment" }).click();
    await waitForHydration(page);
    // R13 is a warning here, not a refusal.
    const warning = page.getByRole("note");
    await expect(warning).toContainText("You can schedule the appointment. Before a DQ1 could be imposed:");
    await expect(warning.getByRole("listitem").first()).toContainText("A DQ1 will need a written attempt (letter, note or postcard) that did not reach the participant, besides one in another way.");
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(results.violations).toEqual([]);
    await page.getByRole("button", { name: "Schedule appointment" }).click();
    await expect(page).toHaveURL(/\?saved=appointment$/);
    await expect(page.locator("[aria-current=step]")).toHaveText(/Appointment scheduled/);
    await expect(page.getByRole("link", { name: "Reschedule the appointment" })).toBeVisible();
  });

  test("the mailing day changes as the day changes, with no request", async ({ page }) => {
    await openForm(page, 4);
    await waitForHydration(page);
    const requests = watchSends(page);
    const status = page.getByRole("status");
    const day = page.getByLabel("Appointment day");
    const first = await day.locator("option").first().getAttribute("value");
    await day.selectOption(first ?? "");
    await expect(status).toContainText("Too soon for the 7-day notice: the earliest appointment is");
    const later = await day.locator("option").nth(10).getAttribute("value");
    await day.selectOption(later ?? "");
    await expect(status).toContainText(/Notice DHS 7869 must be mailed by/);
    const text = await status.textContent();
    const latest = await day.locator("option").last().getAttribute("value");
    await day.selectOption(latest ?? "");
    await expect(status).not.toHaveText(text ?? "");
    expect(requests).toEqual([]);
  });

  test("the keyboard alone schedules it", async ({ page }) => {
    await openForm(page, own(28, 36));
    await waitForHydration(page);
    // The day, then Tab to the time (10:00 by default); Enter sends the form.
    await page.getByLabel("Appointment day").focus();
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Time (optional)")).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\?saved=appointment$/);
  });

  test("no WCAG 2.1 AA violation (axe-core)", async ({ page }) => {
    await openForm(page, 4);
    await waitForHydration(page);
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(results.violations).toEqual([]);
  });
});
