import { expect, type Page } from "@playwright/test";
import { dayBefore } from "./dates";

// Records of a test's own, made through the public API with the signed-in person's session
// (the same services and `core` checks as the pages), and the office's business calendar.

/** The demo branch, from a participant of the signed-in coach. */
async function demoBranch(page: Page): Promise<{ branchId: number; coachId: number }> {
  const response = await page.request.get("/api/v1/participants/1");
  expect(response.status()).toBe(200);
  const participant = await response.json();
  return { branchId: participant.branch_id, coachId: participant.coach_id };
}

/**
 * A new participant of the signed-in coach with no episode (fictional: a 555-01xx number),
 * so a test that records a miss has someone of its own. Returns the case number.
 */
export async function newParticipant(page: Page, first: string, last: string): Promise<string> {
  const { branchId, coachId } = await demoBranch(page);
  const caseNumber = `E2E-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`.toUpperCase();
  const response = await page.request.post("/api/v1/participants", {
    data: {
      branch_id: branchId,
      case_number: caseNumber,
      first_name: first,
      last_name: last,
      phone: "555-0199",
      coach_id: coachId,
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return caseNumber;
}

/** `GET /api/v1/calendar/add-business-days`: the day `n` business days after `date`. */
export async function addBusinessDays(page: Page, date: string, n: number): Promise<string> {
  const response = await page.request.get(`/api/v1/calendar/add-business-days?date=${date}&n=${n}`);
  expect(response.status()).toBe(200);
  return (await response.json()).date;
}

/** Whether `date` is a business day: the first business day after the day before it. */
export async function isBusinessDay(page: Page, date: string): Promise<boolean> {
  return (await addBusinessDays(page, dayBefore(date), 1)) === date;
}

/**
 * A new participant of the signed-in coach and the episode its miss on `on` opens, recorded
 * through the missed-activity form (a missed family coach appointment). Ends on the episode
 * page; returns the episode's id.
 */
export async function openEpisode(page: Page, first: string, last: string, on: string): Promise<number> {
  const caseNumber = await newParticipant(page, first, last);
  await page.goto("/missed");
  const select = page.getByLabel("Participant", { exact: true });
  const value = await select.locator("option", { hasText: caseNumber }).getAttribute("value");
  await select.selectOption(value ?? "");
  await page.getByLabel("Missed an appointment with the family coach").check();
  await page.getByLabel("What was missed").fill("family coach appointment");
  await page.getByLabel("Date of the miss").fill(on);
  await page.getByRole("button", { name: "Record the miss" }).click();
  await expect(page).toHaveURL(/\/episodes\/\d+\?saved=miss$/);
  return Number(new URL(page.url()).pathname.split("/")[2]);
}
