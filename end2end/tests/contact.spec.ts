import { expect, test, type Page, watchSends } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { officeDate } from "./dates";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";

// Contact made (R8): the plan is adjusted with the participant (with the agreed PDP step) and
// the episode closes as re-engaged, at any time before the team's decision — two business days
// after the miss is a timeliness target, not a gate: later contact is said to be late, and
// without a plan a re-engagement appointment follows (R12). Each test that saves opens a miss
// for a participant of its own.
function own(phone: string, desktop: string): string {
  return test.info().project.name === "phone" ? phone : desktop;
}

/** Records a miss on `on` for the participant `caseNumber`; ends on the new episode. */
async function openMiss(page: Page, caseNumber: string, on: string): Promise<void> {
  await signIn(page, "coach@demo.test");
  await page.getByRole("link", { name: "Record a missed activity" }).click();
  const select = page.getByLabel("Participant", { exact: true });
  const value = await select.locator("option", { hasText: caseNumber }).getAttribute("value");
  await select.selectOption(value ?? "");
  await page.getByLabel("Missed an appointment with the family coach").check();
  await page.getByLabel("What was missed").fill("orientation");
  await page.getByLabel("Date of the miss").fill(on);
  await page.getByRole("button", { name: "Record the miss" }).click();
  await expect(page).toHaveURL(/\/episodes\/\d+\?saved=miss$/);
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("contact in time: a refused step is kept in place, then the plan is adjusted", async ({ page }) => {
    await openMiss(page, own("DEMO-0024", "DEMO-0035"), officeDate(0));
    await page.getByRole("link", { name: "Record contact made" }).click();
    await expect(page.getByRole("status")).toContainText("Contact met the target (by ");
    await expect(page.getByLabel(/The plan is adjusted with the participant/)).toBeChecked();
    // A new step without its day: refused, everything kept.
    await page.getByLabel("Add the agreed PDP step (optional)").selectOption("WE");
    await page.getByRole("button", { name: "Save contact" }).click();
    await expect(page).toHaveURL(/\/contact$/);
    await expect(page.getByRole("alert")).toContainText("Enter the day the new PDP step starts.");
    await expect(page.getByLabel("Add the agreed PDP step (optional)")).toHaveValue("WE");
    await expect(page.getByLabel(/The plan is adjusted with the participant/)).toBeChecked();
    await page.getByLabel("The new step starts on").fill(officeDate(7));
    await page.getByRole("button", { name: "Save contact" }).click();
    await expect(page).toHaveURL(/\/episodes\/\d+\?saved=contact&version=\d+$/);
    await expect(page.getByText("This episode is closed.")).toBeVisible();
    await expect(page.getByText(/^WE — from /)).toBeVisible();
    await expect(page.locator("[aria-current=step]")).toHaveText(/Contact made/);
  });

  test("contact after the target is late, and without a plan a re-engagement appointment follows", async ({ page }) => {
    await openMiss(page, own("DEMO-0039", "DEMO-0040"), officeDate(-10));
    await page.getByRole("link", { name: "Record contact made" }).click();
    const status = page.getByRole("status");
    await expect(status).toContainText(/Contact came after the target \(by \w+day, \w+ \d+(, \d{4})?\): it counts as late in the timeliness figures\. Adjust the plan with the participant/);
    await expect(status).toContainText("If they do not agree to a plan, record the contact without it, then schedule a re-engagement appointment. (R12)");
    // R8 is a target, not a gate: the plan can still be adjusted. Here it is not agreed.
    const plan = page.getByLabel(/The plan is adjusted with the participant/);
    await expect(plan).toBeEnabled();
    await expect(plan).toBeChecked();
    await plan.uncheck();
    await page.getByRole("button", { name: "Save contact" }).click();
    await expect(page).toHaveURL(/\?saved=contact&version=\d+$/);
    await expect(page.getByText("This episode is closed.")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Schedule the re-engagement appointment" })).toBeVisible();
    const deadlines = page.getByRole("table", { name: /^Deadlines on / });
    await expect(deadlines.getByRole("row").filter({ hasText: "R8" })).toContainText(/Met late, on \w+day/);
  });
});

test.describe("with JavaScript", () => {
  test("the advice follows the contact day before anything is sent, and the plan is adjusted", async ({ page }) => {
    await openMiss(page, own("DEMO-0008", "DEMO-0016"), officeDate(0));
    await page.getByRole("link", { name: "Record contact made" }).click();
    await waitForHydration(page);
    const requests = watchSends(page);
    const status = page.getByRole("status");
    await page.getByLabel("Date contact was made").fill(officeDate(-3));
    await expect(status).toContainText("is dated before the miss");
    await page.getByLabel("Date contact was made").fill(officeDate(0));
    await expect(status).toContainText("Contact met the target (by ");
    await expect(page.getByLabel(/The plan is adjusted with the participant/)).toBeEnabled();
    expect(requests).toEqual([]);
    await page.getByLabel("Add the agreed PDP step (optional)").selectOption("SW");
    await page.getByLabel("The new step starts on").fill(officeDate(1));
    await page.getByRole("button", { name: "Save contact" }).click();
    await expect(page).toHaveURL(/\?saved=contact&version=\d+$/);
    await expect(page.getByText("This episode is closed.")).toBeVisible();
    await expect(page.getByText(/^SW — from /)).toBeVisible();
  });

  test("no WCAG 2.1 AA violation (axe-core) on the contact form and the printable notice", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    for (const path of ["/episodes/2/contact", "/episodes/5/notice/print", "/missed"]) {
      await page.goto(path);
      await waitForHydration(page);
      const results = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      expect(results.violations, path).toEqual([]);
    }
  });
});
