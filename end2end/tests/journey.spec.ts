import { expect, test, type Page } from "./fixtures";
import { longDate, officeDate } from "./dates";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";

// The coach's whole path on the phone (and the desktop): a missed JOBS (PE) appointment,
// two unanswered attempts (one by phone, one in writing: R13), the re-engagement appointment
// with its mailing day said as the day is picked (R15, R16), the notice mailed, the printable
// DHS 7869 notice, and the attempt's narrative copied for TRACS. Each project works on a
// participant of its own (the demo coach's participants whose episodes are closed).
function own(phone: string, desktop: string): string {
  return test.info().project.name === "phone" ? phone : desktop;
}

/** Picks the participant whose case number is `caseNumber` on the missed-activity form. */
async function pickParticipant(page: Page, caseNumber: string): Promise<void> {
  const select = page.getByLabel("Participant", { exact: true });
  const value = await select.locator("option", { hasText: caseNumber }).getAttribute("value");
  await select.selectOption(value ?? "");
}

/** Logs an attempt from the episode page; back on the episode page. */
async function logAttempt(page: Page, on: string, method: string): Promise<void> {
  await page.getByRole("link", { name: "Log a contact attempt" }).click();
  await waitForHydration(page);
  await page.getByLabel("Date of the attempt").fill(on);
  await page.getByLabel(method, { exact: true }).check();
  await page.getByLabel("Message left").check();
  await page.getByRole("button", { name: "Save attempt" }).click();
  await expect(page).toHaveURL(/\/episodes\/\d+\?saved=attempt&version=\d+$/);
}

test("from a missed PE appointment to the printed DHS 7869 notice", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, "coach@demo.test");
  await waitForHydration(page);

  // The miss, two weeks ago at 9:00: the R3 call and the R2 day are said before saving.
  await page.getByRole("link", { name: "Record a missed activity" }).click();
  await expect(page).toHaveURL(/\/missed$/);
  await waitForHydration(page);
  await pickParticipant(page, own("DEMO-0003", "DEMO-0007"));
  await page.getByLabel("Missed a JOBS appointment (PE step)").check();
  await page.getByLabel("What was missed").fill("JOBS appointment (PE)");
  await page.getByLabel("Date of the miss").fill(officeDate(-14));
  await page.getByLabel("Appointment time (optional)").fill("09:00");
  const said = page.getByRole("status");
  await expect(said).toContainText("Call by 9:10 am — within 10 minutes of the missed appointment time. (R3)");
  await expect(said).toContainText(/First contact due by \w+day, \w+ \d+.* — 1 business day after the missed JOBS appointment \(PE\)\. \(R2\)/);
  await page.getByRole("button", { name: "Record the miss" }).click();
  await expect(page).toHaveURL(/\/episodes\/\d+\?saved=miss$/);
  await expect(page.getByText("The missed activity is recorded and the episode is open.")).toBeVisible();
  await expect(page.locator("[aria-current=step]")).toHaveText(/Missed/);

  // Two unanswered attempts: a voicemail the day of the miss, a letter the next day.
  await logAttempt(page, officeDate(-14), "Phone");
  await logAttempt(page, officeDate(-13), "Letter, note or postcard");
  await expect(page.getByText(/Letter, note or postcard, message left, by CD/)).toBeVisible();

  // R12: no reply three business days after the second attempt — schedule the appointment.
  await page.getByRole("link", { name: "Schedule the re-engagement appointment" }).click();
  await waitForHydration(page);
  const day = page.getByLabel("Appointment day");
  const status = page.getByRole("status");
  const first = await day.locator("option").nth(8).getAttribute("value");
  await day.selectOption(first ?? "");
  await expect(status).toContainText(/Notice DHS 7869 must be mailed by \w+day, \w+ \d+, \d{4} \(R15\)\./);
  const before = await status.textContent();
  const chosen = day.locator("option").nth(12);
  const chosenDay = (await chosen.textContent()) ?? "";
  await day.selectOption((await chosen.getAttribute("value")) ?? "");
  await expect(status).not.toHaveText(before ?? "");
  await expect(status).toContainText(/Notice DHS 7869 must be mailed by/);
  await page.getByRole("button", { name: "Schedule appointment" }).click();
  await expect(page).toHaveURL(/\?saved=appointment$/);
  await expect(page.locator("[aria-current=step]")).toHaveText(/Appointment scheduled/);

  // The notice mailed today: in time.
  await page.getByRole("link", { name: "Record the notice mailed" }).click();
  await waitForHydration(page);
  await expect(page.getByRole("status")).toContainText(/In time: at least 7 days before the appointment on/);
  await page.getByRole("button", { name: "Save mailing" }).click();
  await expect(page).toHaveURL(/\?saved=notice$/);

  // The printable notice: who, when, where, and the coach.
  await page.getByRole("link", { name: "Print the DHS 7869 notice" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Re-engagement appointment notice" })).toBeVisible();
  const sheet = page.getByRole("article");
  await expect(sheet).toContainText(chosenDay);
  await expect(sheet).toContainText("10:00 am");
  await expect(sheet).toContainText("500 Summer Street NE, Salem, OR 97301");
  await expect(sheet).toContainText("Casey Demo-Coach");
  await expect(sheet).toContainText(/Mailed on \w+day/);
  await waitForHydration(page);
  await expect(page.getByRole("button", { name: "Print the notice" })).toBeVisible();

  // The first attempt's narrative, drafted by core and named by the attempt's day (R10):
  // copied for TRACS as plain text, then saved.
  await page.getByRole("link", { name: /^← / }).click();
  await waitForHydration(page);
  const draftLabel = `Engagement narrative — draft from attempt of ${longDate(officeDate(-14))}`;
  const draft = page.getByLabel(draftLabel);
  await expect(draft).toHaveValue(/attempted contact by phone/);
  const text = await draft.inputValue();
  await page.getByRole("button", { name: "Copy for TRACS" }).first().click();
  await expect(page.getByText("Copied: paste it into TRACS.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
  await page.getByRole("button", { name: "Save draft" }).first().click();
  await expect(page).toHaveURL(/\?saved=narrative#narratives$/);
  await expect(page.getByLabel("Engagement narrative — saved")).toHaveValue(text);
  await expect(page.getByLabel(draftLabel)).toHaveCount(0);
});
