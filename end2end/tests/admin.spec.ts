import { expect, test, type Page } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { signIn, signInAdmin } from "./session";

// Running a branch from the browser (desktop): an admin sets the office's address, phone and
// mail pickup time (printed on the DHS 7869, R15) and adds a snow day, which says how many
// open deadlines it moves — and a coach's deadline moves with it; a supervisor adds a
// participant, finds them by case number (the search is answered in place: nothing typed goes
// in a URL) and moves them to another coach.

const OFFICE = "Demo Branch (fictional)";

/** "Monday, December 7, 2026" → "2026-12-07". */
function isoDay(long: string): string {
  const day = new Date(`${long.replace(/^\w+, /, "")} 12:00 UTC`);
  return day.toISOString().slice(0, 10);
}

/** An open deadline of one of the coach's episodes that is still to come and counted in
 *  business days — the furthest off, so the closure stays clear of the days other tests count;
 *  not R17's case review, which is the appointment's own day — with its episode page and its
 *  row's "Due by" date as the page writes it. */
async function comingDeadline(page: Page): Promise<{ episode: string; what: string; due: string }> {
  await page.goto("/today");
  const links = await page.locator('a.work-who[href^="/episodes/"]').evaluateAll((anchors) =>
    anchors.map((a) => a.getAttribute("href") ?? ""),
  );
  let best: { episode: string; what: string; due: string; days: number } | undefined;
  for (const episode of links) {
    await page.goto(episode);
    const rows = page.locator("table.deadlines tbody tr");
    for (let i = 0; i < (await rows.count()); i++) {
      const cells = await rows.nth(i).locator("td").allTextContents();
      const status = cells[3] ?? "";
      const days = status === "Due next business day" ? 1 : Number(status.match(/^Due in (\d+) business days$/)?.[1] ?? 0);
      if (days > 0 && cells[1] !== "R17" && (!best || days > best.days)) best = { episode, what: cells[0], due: cells[2], days };
    }
  }
  if (!best) throw new Error("no coach's episode has a deadline still to come");
  return best;
}

test("an admin sets up the office, and a snow day moves a coach's deadline", async ({ page, browser }) => {
  await signInAdmin(page);
  // An admin has no Today list of their own: the page points to the admin pages.
  await page.getByRole("link", { name: "Offices and staff (admin)" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Offices and staff" })).toBeVisible();
  await page.getByRole("link", { name: OFFICE }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Office: ${OFFICE}` })).toBeVisible();

  // What the demo office holds, put back at the end: other tests print its notice.
  const before = {
    address: await page.getByLabel("Street address").inputValue(),
    phone: await page.getByLabel("Phone").inputValue(),
    pickup: await page.getByLabel("Mail pickup time (R15)").inputValue(),
  };
  const saveOffice = async (address: string, phone: string, pickup: string) => {
    await page.getByLabel("Street address").fill(address);
    await page.getByLabel("Phone").fill(phone);
    await page.getByLabel("Mail pickup time (R15)").fill(pickup);
    await page.getByRole("button", { name: "Save office details" }).click();
    await expect(page.getByRole("status")).toHaveText("Office details saved.");
  };
  // A pickup late in the office's day, so a notice mailed by another test now still leaves today.
  await saveOffice("500 Summer St NE, Salem, OR 97301", "503-555-0150", "23:45");
  await expect(page.getByLabel("Street address")).toHaveValue("500 Summer St NE, Salem, OR 97301");
  await expect(page.getByLabel("Mail pickup time (R15)")).toHaveValue("23:45");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations).toEqual([]);

  // A coach's deadline still to come, in another browser.
  const coachContext = await browser.newContext();
  const coach = await coachContext.newPage();
  await signIn(coach, "coach@demo.test");
  const { episode, what, due } = await comingDeadline(coach);

  await page.getByLabel("Closed on").fill(isoDay(due));
  await page.getByLabel("Why").fill("Snow day");
  await page.getByRole("button", { name: "Add closure day" }).click();
  await expect(page.getByRole("status")).toHaveText(/^Closure day added\. It moves [1-9]\d* open deadlines? in this office\.$/);
  await expect(page.getByRole("row", { name: new RegExp(`${due}.*Snow day`) })).toBeVisible();

  try {
    await coach.goto(episode);
    const row = coach.getByRole("row").filter({ hasText: what });
    await expect(row.first()).toBeVisible();
    await expect(row.first()).not.toContainText(due);
  } finally {
    // The snow day was for this test alone: removed, the deadline moves back.
    await page.getByRole("button", { name: `Remove ${due}` }).click();
    await expect(page.getByRole("status")).toHaveText(/^Closure day removed\. It moves [1-9]\d* open deadlines? back\.$/);
    await coach.goto(episode);
    await expect(coach.getByRole("row").filter({ hasText: what }).first()).toContainText(due);
    await coachContext.close();
    await saveOffice(before.address, before.phone, before.pickup);
  }
});

test("a bad office change is refused in place and keeps what was typed", async ({ page }) => {
  await signInAdmin(page);
  await page.goto("/admin");
  await page.getByRole("link", { name: OFFICE }).click();
  await page.getByLabel("Office name").fill("");
  await page.getByLabel("Phone").fill("503-555-0177");
  // The browser would stop an empty required field: send it as typed, as a script could.
  await page.getByLabel("Office name").evaluate((input) => input.removeAttribute("required"));
  await page.getByRole("button", { name: "Save office details" }).click();
  await expect(page.getByRole("alert")).toContainText("Name the office");
  await expect(page.getByLabel("Phone")).toHaveValue("503-555-0177");
});

test("a supervisor adds a participant, finds them by case number and moves them to another coach", async ({ page }) => {
  const caseNumber = `E2E-${Date.now().toString(36).toUpperCase()}`;
  await signIn(page, "lead@demo.test");
  await page.getByRole("link", { name: "Participants" }).click();
  await page.getByRole("link", { name: "Add a participant" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Add a participant" })).toBeVisible();
  await page.getByLabel("Case number").fill(caseNumber);
  await page.getByLabel("First name").fill("Lucía");
  await page.getByLabel("Last name").fill("Núñez");
  await page.getByLabel("Language they read (their DHS 7869 notice prints in it)").selectOption({ label: "Spanish" });
  await page.getByLabel("Phone", { exact: true }).fill("503-555-0188");
  await page.getByLabel("Family coach").selectOption({ label: "Casey Demo-Coach" });
  await page.getByRole("button", { name: "Add participant" }).click();
  await expect(page.getByRole("status")).toHaveText("Participant added.");
  await expect(page.getByRole("heading", { level: 1, name: "Lucía Núñez" })).toBeVisible();

  // Found by case number (any case); the answer comes in place, with no query in the URL.
  await page.goto("/participants");
  await page.getByLabel("Case number or name").fill(caseNumber.toLowerCase());
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/participants\/search$/);
  await expect(page.getByRole("status")).toHaveText("1 found.");
  const found = page.getByRole("row", { name: new RegExp(caseNumber) });
  await expect(found).toContainText("Casey Demo-Coach");
  await expect(page.getByLabel("Case number or name")).toHaveValue(caseNumber.toLowerCase());
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations).toEqual([]);

  // Moved to the case aide: this participant alone, audited by the server.
  await page.goto("/participants/move");
  await page.getByLabel("From coach").selectOption({ label: "Casey Demo-Coach" });
  await page.getByLabel("To coach").selectOption({ label: "Avery Demo-Aide" });
  await page.getByLabel("Only this case number (optional)").fill(caseNumber);
  await page.getByRole("button", { name: "Move" }).click();
  await expect(page.getByRole("status")).toHaveText("Moved 1 participant and 0 open episodes to the new coach.");

  await page.goto("/participants");
  await page.getByLabel("Case number or name").fill("Núñez Lucía");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("row", { name: new RegExp(caseNumber) })).toContainText("Avery Demo-Aide");
});

test("a coach may not move a caseload", async ({ page }) => {
  await signIn(page, "coach@demo.test");
  await page.goto("/participants");
  await expect(page.getByRole("link", { name: "Move a caseload" })).toHaveCount(0);
  const refused = await page.goto("/participants/move");
  expect(refused?.status()).toBe(403);
});

test("an admin adds an office; a name already taken is refused in place with what was typed", async ({ page }) => {
  const name = `E2E Office ${Date.now().toString(36)}`;
  await signInAdmin(page);
  await page.goto("/admin");
  const office = page.getByRole("region", { name: "Add an office" });
  await office.getByLabel("Office name").fill(OFFICE);
  await office.getByLabel("Street address (optional)").fill("1 Mill St, Lakeview, OR 97630");
  await office.getByRole("button", { name: "Add office" }).click();
  await expect(page.getByRole("alert")).toContainText("Another office is already named");
  await expect(office.getByLabel("Office name")).toHaveValue(OFFICE);
  await expect(office.getByLabel("Street address (optional)")).toHaveValue("1 Mill St, Lakeview, OR 97630");
  // What was typed went back to its own form only.
  await expect(page.getByRole("region", { name: "Add a staff member" }).getByLabel("Name")).toHaveValue("");

  await office.getByLabel("Office name").fill(name);
  await office.getByLabel("Time zone").selectOption("America/Boise");
  await office.getByRole("button", { name: "Add office" }).click();
  await expect(page.getByRole("status")).toHaveText("Office added. Add its closure days below.");
  await expect(page.getByRole("heading", { level: 1, name: `Office: ${name}` })).toBeVisible();
  await expect(page.getByLabel("Street address")).toHaveValue("1 Mill St, Lakeview, OR 97630");
  await expect(page.getByLabel("Time zone")).toHaveValue("America/Boise");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations).toEqual([]);
  await page.goto("/admin");
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("1 Mill St");
  const desk = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(desk.violations).toEqual([]);
});

test("an admin makes an API token for a staff member: shown once, never in the address, working until revoked", async ({ page, playwright, baseURL }) => {
  await signInAdmin(page);
  await page.goto("/admin");
  await page.getByRole("link", { name: "Casey Demo-Coach" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Staff member: Casey Demo-Coach" })).toBeVisible();
  await page.getByRole("button", { name: "Make an API token" }).click();
  await expect(page.getByRole("status")).toHaveText("API token made: copy it now, it is not shown again.");
  const token = await page.getByLabel("The new token — copy it now").inputValue();
  expect(token).toMatch(/^re_[A-Za-z0-9_-]{40,}$/);
  expect(page.url()).not.toContain(token);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations).toEqual([]);

  // A script uses it, with no session of its own.
  const script = await playwright.request.newContext({ baseURL });
  const asked = (await script.get("/api/v1/episodes", { headers: { Authorization: `Bearer ${token}` } })).status();
  expect(asked).toBe(200);

  // Shown once: a reload no longer has it.
  await page.reload();
  await expect(page.getByLabel("The new token — copy it now")).toHaveCount(0);

  // Revoked (the newest token first in the list), it stops at once.
  await page.getByRole("button", { name: /^Revoke/ }).first().click();
  await expect(page.getByRole("status")).toHaveText("Token revoked.");
  expect((await script.get("/api/v1/episodes", { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
  await script.dispose();
});
