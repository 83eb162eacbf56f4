import { expect, test, type Page, watchSends } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { officeDate } from "./dates";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";

// Recording a missed activity (R1): when first contact is due (R2), the R3 call for a missed
// appointment with a time, and the R8 target, said before anything is sent; a miss the
// participant called ahead about opens no episode (R1). The server re-checks and a refusal
// comes back in place with everything typed. A test that saves opens an episode for
// a participant of its own (the demo coach's participants whose episodes are closed).
function own(phone: string, desktop: string): string {
  return test.info().project.name === "phone" ? phone : desktop;
}

async function openForm(page: Page): Promise<void> {
  await signIn(page, "coach@demo.test");
  await page.getByRole("link", { name: "Record a missed activity" }).click();
  await expect(page).toHaveURL(/\/missed$/);
  await expect(page.getByRole("heading", { level: 1, name: "Record a missed activity" })).toBeVisible();
}

async function pickParticipant(page: Page, caseNumber: string): Promise<void> {
  const select = page.getByLabel("Participant", { exact: true });
  const value = await select.locator("option", { hasText: caseNumber }).getAttribute("value");
  await select.selectOption(value ?? "");
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a miss is recorded and the episode opens with the R3 call due", async ({ page }) => {
    await openForm(page);
    // The server has already said when contact is due for today's miss.
    await expect(page.getByRole("status")).toContainText(/First contact due by \w+day, \w+ \d+.* \(R2\)/);
    await pickParticipant(page, own("DEMO-0019", "DEMO-0023"));
    await page.getByLabel("What was missed").fill("JOBS appointment (PE)");
    await page.getByLabel("Appointment time (optional)").fill("09:00");
    await page.getByRole("button", { name: "Record the miss" }).click();
    await expect(page).toHaveURL(/\/episodes\/\d+\?saved=miss$/);
    await expect(page.getByText("The missed activity is recorded and the episode is open.")).toBeVisible();
    await expect(page.getByText(/Missed the JOBS appointment \(PE\) on \w+day, .* at 9:00 am/)).toBeVisible();
    await expect(page.getByText(/by 9:10 am — within 10 minutes of the missed JOBS appointment \(PE\) \(R3\)/)).toBeVisible();
  });

  test("a refusal is shown in place and keeps what was typed", async ({ page }) => {
    await openForm(page);
    await pickParticipant(page, "DEMO-0032");
    await page.getByLabel("Missed an appointment with the family coach").check();
    // Only spaces for what was missed: the browser lets it through, the server does not (R1).
    await page.getByLabel("What was missed").fill("   ");
    const earlier = officeDate(-3);
    await page.getByLabel("Date of the miss").fill(earlier);
    await page.getByLabel("Appointment time (optional)").fill("14:15");
    await page.getByRole("button", { name: "Record the miss" }).click();
    await expect(page).toHaveURL(/\/missed$/);
    await expect(page.getByRole("alert")).toContainText("Say what was missed in a few words");
    await expect(page.getByRole("alert")).toContainText("Your entries are kept below");
    await expect(page.getByLabel("Participant", { exact: true }).locator("option:checked")).toHaveText(/DEMO-0032/);
    await expect(page.getByLabel("Missed an appointment with the family coach")).toBeChecked();
    await expect(page.getByLabel("Date of the miss")).toHaveValue(earlier);
    await expect(page.getByLabel("Appointment time (optional)")).toHaveValue("14:15");
  });

  test("a miss the participant called ahead about is refused: no episode opens (R1)", async ({ page }) => {
    await openForm(page);
    await pickParticipant(page, "DEMO-0032");
    await page.getByLabel("Missed an appointment with the family coach").check();
    await page.getByLabel("What was missed").fill("orientation");
    await page.getByLabel("The participant called ahead about this miss").check();
    await page.getByRole("button", { name: "Record the miss" }).click();
    await expect(page).toHaveURL(/\/missed$/);
    await expect(page.getByRole("alert")).toContainText(
      "A miss the participant called ahead about is not the start of re-engagement: no episode is opened.",
    );
    await expect(page.getByRole("alert")).toContainText("(R1)");
    await expect(page.getByLabel("The participant called ahead about this miss")).toBeChecked();
    await expect(page.getByLabel("Participant", { exact: true }).locator("option:checked")).toHaveText(/DEMO-0032/);
  });
});

test("a contractor gives the day it learned of the miss (R5)", async ({ page }) => {
  await signIn(page, "contractor@demo.test");
  await page.goto("/missed");
  await waitForHydration(page);
  // (Every referral of the contractor has an open episode: the page says so too.)
  const status = page.getByRole("status").filter({ hasNotText: "Everyone on your list" });
  await page.getByLabel("What was missed").fill("contractor appointment");
  await page.getByLabel("Missed an appointment with the JOBS contractor").check();
  await page.getByLabel("Date of the miss").fill("2026-11-25");
  // Learned of it on Monday, November 30, 2026: the engagement contact is due a business day later.
  await page.getByLabel("The day you learned of the miss (optional)").fill("2026-11-30");
  await expect(status).toContainText("Tuesday, December 1");
  await expect(status).toContainText("(R5)");
  await page.getByLabel("The day you learned of the miss (optional)").fill("2026-11-24");
  await expect(status).toContainText("before the miss");
});

test.describe("with JavaScript", () => {
  test("the feedback follows the kind, day and time before anything is sent", async ({ page }) => {
    await openForm(page);
    await waitForHydration(page);
    const requests = watchSends(page);
    const status = page.getByRole("status");
    await page.getByLabel("What was missed").fill("orientation");
    await page.getByLabel("Missed an appointment with the family coach").check();
    // Wednesday 2026-11-25: Thanksgiving and the day after are closed (R2, R8).
    await page.getByLabel("Date of the miss").fill("2026-11-25");
    await expect(status).toContainText("First contact due by Monday, November 30 — 1 business day after the missed orientation. (R2)");
    await expect(status).toContainText("Contact made by Tuesday, December 1 meets the target for adjusting the plan; contact later still lets you adjust it. (R8)");
    await expect(status).not.toContainText("(R3)");
    await page.getByLabel("Missed a JOBS appointment (PE step)").check();
    await page.getByLabel("Appointment time (optional)").fill("13:30");
    await expect(status).toContainText("Call by 1:40 pm — within 10 minutes of the missed appointment time. (R3)");
    await page.getByLabel("A pattern of noncooperation").check();
    await expect(status).toContainText(/Contact due by \w+day, December \d+ — no more than 5 business days .* \(R6\)/);
    // R1: a miss the participant called ahead about opens no episode.
    await page.getByLabel("The participant called ahead about this miss").check();
    await expect(status).toContainText("A miss the participant called ahead about is not the start of re-engagement: no episode is opened.");
    await expect(status).not.toContainText("(R2)");
    await page.getByLabel("The participant called ahead about this miss").uncheck();
    await expect(status).toContainText("(R6)");
    await page.getByLabel("Date of the miss").fill(officeDate(2));
    await expect(status).toContainText("is in the future");
    expect(requests).toEqual([]);
  });

  test("the keyboard alone reaches every field and sends the form", async ({ page }) => {
    await openForm(page);
    await waitForHydration(page);
    await page.getByLabel("Participant", { exact: true }).focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Missed a JOBS appointment (PE step)")).toBeFocused();
    await page.getByLabel("What was missed").focus();
    // Spaces only: the server refuses it in place, so nothing is saved (R1).
    await page.keyboard.type("  ");
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Date of the miss")).toBeFocused();
    await page.getByLabel("What was missed").focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/missed$/);
    await expect(page.getByRole("alert")).toContainText("Say what was missed");
  });

  test("no WCAG 2.1 AA violation (axe-core)", async ({ page }) => {
    await openForm(page);
    await waitForHydration(page);
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(results.violations).toEqual([]);
  });
});
