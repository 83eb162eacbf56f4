import { test as base, expect, watchRedirects, type BrowserContext, type Locator, type Page } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";

// The staffing workspace (R17–R27, R30), as a supervisor runs it: a staffing blocked by
// missing information (R17), resolved in place; a DQ1 tried with a step missing — the live
// readiness list (R26), then the server's refusal with the same list; completed, then
// confirmed by three department members each with their own sign-in in their own browser
// (R18: no one person can impose a DQ1), decided, finalized with the steps after a DQ1 (R27),
// read-only; a new staffing on new information (R24). A team of two accounts and a named
// member is refused a DQ1 (R18). A good-cause staffing (R23). The keyboard alone, and
// axe-core on every state.
// The demo's episodes 6, 14, 22, 30 and 38 are at the staffing stage, each waiting for a
// child safety check; 15 and 31 hold a DQ1 decided and not final (a new staffing puts them
// back at staffing, R24). Each project works on episodes of its own (they run at once).
function own(phone: number, desktop: number): number {
  return test.info().project.name === "phone" ? phone : desktop;
}

/** `signedIn(email)`: another person's browser — a new context like the project's (its
 * device and the server's address), signed in as `email`. Closed after the test. */
const test = base.extend<{ signedIn: (email: string) => Promise<Page> }>({
  signedIn: async ({ browser, baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (email) => {
      const context = await browser.newContext({ baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor });
      contexts.push(context);
      watchRedirects(context);
      const other = await context.newPage();
      await signIn(other, email);
      return other;
    });
    for (const context of contexts) await context.close();
  },
});

async function noViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  expect(results.violations).toEqual([]);
}

/** From the episode page to its workspace, live. */
async function openWorkspace(page: Page, id: number, email: string): Promise<void> {
  await signIn(page, email);
  await page.goto(`/episodes/${id}`);
  await page.getByRole("link", { name: "Staffing workspace" }).click();
  await expect(page).toHaveURL(new RegExp(`/episodes/${id}/staffing$`));
  await expect(page.getByRole("heading", { level: 1, name: /^Staffing — / })).toBeVisible();
  await waitForHydration(page);
}

/** Answers every barrier cell not present (R20): domestic violence and childcare or
 * transportation for the household, the other four areas for the adult and the children. */
async function reviewEveryArea(page: Page): Promise<void> {
  const present = page.getByRole("group", { name: "Present?" });
  await expect(present).toHaveCount(10);
  for (const group of await present.all()) {
    await group.getByLabel("No").check();
  }
}

/** Answers the good-cause questions (R23) no, but those left out. */
async function answerGoodCause(page: Page, leaveOut: string[] = []): Promise<void> {
  const section = page.getByRole("region", { name: "Good cause (R23)" });
  for (const group of await section.getByRole("group").all()) {
    const legend = (await group.locator("legend").textContent()) ?? "";
    if (leaveOut.some((q) => legend.includes(q))) continue;
    await group.getByLabel("No").check();
  }
}

function readiness(page: Page): Locator {
  return page.locator(".readiness");
}

function presence(page: Page): Locator {
  return page.getByRole("region", { name: "Who confirmed being present (R18)" });
}

/** In `person`'s own browser, on the workspace: "I was present" (R18), confirmed. */
async function confirmPresence(person: Page, id: number, name: RegExp): Promise<void> {
  await expect(person).toHaveURL(new RegExp(`/episodes/${id}/staffing(#presence)?$`));
  await person.getByRole("button", { name: /^I was present at this staffing \(\w+day, \w+ \d+, \d{4}\)$/ }).click();
  await expect(person.getByText("Your presence at the staffing is confirmed (R18).")).toBeVisible();
  await expect(presence(person).getByRole("listitem").filter({ hasText: name })).toContainText(/confirmed being present on \w+day/);
  await expect(person.getByRole("button", { name: /^I was present/ })).toHaveCount(0);
}

test("a DQ1 staffing: blocked, refused with the list, confirmed by three sign-ins, decided, finalized, read-only, reviewed again", async ({ page, signedIn }) => {
  // The whole staffing, three more browsers, a dozen page loads and five axe runs on a long
  // page: more than the default 30 s when the other project runs beside it.
  test.setTimeout(240_000);
  const id = own(14, 6);
  await openWorkspace(page, id, "manager@demo.test");
  const participant = ((await page.getByRole("heading", { level: 1 }).textContent()) ?? "").replace("Staffing — ", "").trim();

  // Blocked by missing information (R17).
  const missing = page.getByRole("region", { name: "Missing information (R17)" });
  await expect(missing).toContainText("child safety check (Child safety check) — requested");
  await expect(missing).toContainText("no determination until each is gathered (R17)");

  // The team: the coach and the signed-in manager are offered from the branch's staff; the
  // page says how many more, and that none has confirmed being present yet (R18).
  const team = page.getByRole("region", { name: "The team (R18)" });
  await expect(team.getByRole("status")).toHaveText(
    "2 department staff on the team: 1 more needed — at least three (R18). 0 confirmed being present; a DQ1 needs three who did.",
  );
  await team.getByLabel("Emery Demo-Specialist (ED) — Engagement specialist").check();
  await expect(team.getByRole("status")).toHaveText(
    "3 department staff on the team: enough (R18). 0 confirmed being present; a DQ1 needs three who did.",
  );

  // DQ1 considered with nothing else filled in: the readiness list, live.
  await page.getByLabel("DQ1 — JOBS disqualification").check();
  await expect(readiness(page)).toContainText("Gather the missing information: child safety check. (R17)");
  await expect(readiness(page)).toContainText("Review domestic violence (last 6 months) for the household. (R20)");
  await expect(readiness(page)).toContainText("Review mental health for the children in the household. (R20)");
  await expect(readiness(page)).toContainText("0 department member(s) confirmed being present with their own sign-in; at least 3 must (3 more).");
  await expect(readiness(page).getByRole("link", { name: "Fix: the missing information" })).toHaveAttribute("href", "#missing-info");
  await noViolations(page);

  // Resolve the missing information in place.
  await missing.getByRole("button", { name: "Mark gathered" }).click();
  await expect(page.getByText("The information is marked gathered.")).toBeVisible();
  await expect(missing).toContainText(/child safety check \(Child safety check\) — gathered \w+day/);
  await waitForHydration(page);

  // Fill in the staffing, one good-cause question left open: the list says what is left.
  await page.getByLabel(/Emery Demo-Specialist \(ED\)/).check();
  await reviewEveryArea(page);
  await answerGoodCause(page, ["fail to provide"]);
  await page.getByLabel(/recommended engagement strategies/).fill("Weekly check-in call");
  await page.getByLabel(/PDP next steps and supports/).fill("Job search, 10 hours a week");
  await page.getByLabel("DQ1 — JOBS disqualification").check();
  await expect(readiness(page)).toContainText(/A DQ1 may not be imposed yet: \d+ step\(s\) of due process are not done \(R26\)/);
  await expect(readiness(page)).toContainText("Answer: Did the department fail to provide assistance or reasonable accommodation? (R23)");

  // The server refuses with the same list; the staffing is kept.
  await page.getByRole("button", { name: "Save and decide" }).click();
  await expect(page.getByRole("alert")).toContainText(/The staffing is saved\. A DQ1 may not be imposed yet: \d+ step\(s\) of due process are not done \(R26\)\./);
  await expect(readiness(page)).toContainText("Answer: Did the department fail to provide assistance or reasonable accommodation? (R23)");
  await expect(page.getByLabel(/recommended engagement strategies/)).toHaveValue("Weekly check-in call");
  await waitForHydration(page);

  // Completed but for the confirmations: one person cannot impose a DQ1 (R18). Saved.
  await answerGoodCause(page);
  await page.getByLabel("DQ1 — JOBS disqualification").check();
  await expect(readiness(page)).toContainText(
    /0 department member\(s\) confirmed being present with their own sign-in; at least 3 must \(3 more\)\. Not yet confirmed: (CD|MD|ED), (CD|MD|ED), (CD|MD|ED)\. \(R18\)/,
  );
  await expect(readiness(page)).not.toContainText("(R23)");
  await page.getByRole("button", { name: "Save the staffing" }).click();
  await expect(page.getByText("The staffing is saved.")).toBeVisible();
  await expect(presence(page)).toContainText("Casey Demo-Coach (CD), Family coach — not yet confirmed");
  await expect(presence(page)).toContainText("Emery Demo-Specialist (ED), Engagement specialist — not yet confirmed");
  await expect(presence(page).getByRole("status")).toHaveText("0 of the at least 3 department members a DQ1 needs confirmed (3 more, R18).");
  await waitForHydration(page);
  await noViolations(page);

  // Each confirms in their own browser. The coach, from Today: the staffings waiting for them.
  const coach = await signedIn("coach@demo.test");
  const waiting = coach.getByRole("region", { name: "Staffings waiting for your confirmation" });
  await expect(waiting).toContainText(`${participant} — staffing of`);
  await waitForHydration(coach);
  await noViolations(coach);
  await waiting.getByRole("link", { name: participant, exact: true }).click();
  await confirmPresence(coach, id, /Casey Demo-Coach/);
  // A coach confirms, and does not record or decide (R18, R23).
  await expect(coach.getByRole("button", { name: "Save and decide" })).toHaveCount(0);
  await coach.goto("/today");
  await expect(waiting.getByRole("link", { name: participant, exact: true })).toHaveCount(0);
  const manager = await signedIn("manager@demo.test");
  await manager.goto(`/episodes/${id}/staffing`);
  await confirmPresence(manager, id, /Morgan Demo-Manager/);
  const specialist = await signedIn("specialist@demo.test");
  await specialist.goto(`/episodes/${id}/staffing`);
  await confirmPresence(specialist, id, /Emery Demo-Specialist/);
  await expect(presence(specialist).getByRole("status")).toHaveText("3 department members confirmed: enough for a DQ1 (R18).");

  // Decided: every step done.
  await page.goto(`/episodes/${id}/staffing`);
  await waitForHydration(page);
  await expect(team.getByRole("status")).toHaveText(
    "3 department staff on the team: enough (R18). 3 confirmed being present; a DQ1 needs three who did.",
  );
  await page.getByLabel("DQ1 — JOBS disqualification").check();
  await expect(readiness(page)).toContainText("Every step of due process is done: the team may impose a DQ1.");
  await page.getByRole("button", { name: "Save and decide" }).click();
  await expect(page.getByText("The staffing and the decision are saved.")).toBeVisible();
  await expect(page.getByText(/^DQ1 — JOBS disqualification — decided \w+day/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Save and decide" })).toHaveCount(0);
  await waitForHydration(page);

  // Finalization: the steps after a DQ1 first (R27), the list live as they are ticked.
  const finalization = page.getByRole("region", { name: "Finalization (R26, R27)" });
  await expect(finalization.locator(".readiness")).toContainText("The DQ1 cannot be finalized yet: 2 item(s) are not done (R26).");
  await expect(finalization.getByRole("checkbox")).toHaveCount(6);
  await finalization.getByLabel(/PDP shows an RE step/).check();
  await finalization.getByLabel(/selected on the TRACS Re-engagement page/).check();
  await finalization.getByLabel("The TRACS Re-engagement page finalized").check();
  await expect(finalization.locator(".readiness")).toContainText("Every step is done: the DQ1 may be finalized (R26).");
  await noViolations(page);
  await finalization.getByRole("button", { name: "Finalize the DQ1" }).click();
  await expect(page.getByText("The DQ1 is finalized. The decision is now read-only.")).toBeVisible();
  await expect(page.getByText(/The decision is final and read-only/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Finalize the DQ1" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Save and decide" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^I was present/ })).toHaveCount(0);
  // The Re-engagement page narrative of the DQ1 (R25), ready for TRACS.
  await expect(page.getByLabel("Re-engagement page narrative — draft from decision")).toHaveValue(/The Re-engagement Page was updated and finalized\./);

  // The episode page says it too; new information asks for a new staffing (R24).
  await page.goto(`/episodes/${id}`);
  await expect(page.locator("[aria-current=step]")).toHaveText(/Finalized/);
  await page.getByLabel("What came to light").fill("An exemption from November came to light");
  await page.getByRole("button", { name: "Request a new staffing" }).click();
  await expect(page.getByText("A new staffing is requested: the episode is back at staffing (R24).")).toBeVisible();
  await expect(page.locator("[aria-current=step]")).toHaveText(/Staffing/);
  await page.getByRole("link", { name: "Staffing workspace" }).click();
  await expect(page.getByRole("heading", { name: "Earlier decisions" })).toBeVisible();
  await expect(page.locator(".superseded")).toContainText(/DQ1 — JOBS disqualification — decided \w+day, .*finalized .*superseded .* by a new staffing: An exemption from November came to light \(R24\)/);
  await expect(page.getByRole("button", { name: "Save and decide" })).toBeVisible();
  await noViolations(page);
});

test("two accounts and a named member: both confirm, and a DQ1 is still refused (R18)", async ({ page, signedIn }) => {
  test.setTimeout(180_000);
  const id = own(15, 31);
  // A DQ1 decided, not final: new information puts the episode back at staffing (R24).
  await signIn(page, "manager@demo.test");
  await page.goto(`/episodes/${id}`);
  await expect(page.locator("[aria-current=step]")).toHaveText(/Decided/);
  await page.getByLabel("What came to light").fill("The participant's new work schedule came to light");
  await page.getByRole("button", { name: "Request a new staffing" }).click();
  await expect(page.getByText("A new staffing is requested: the episode is back at staffing (R24).")).toBeVisible();
  await page.getByRole("link", { name: "Staffing workspace" }).click();
  await expect(page).toHaveURL(new RegExp(`/episodes/${id}/staffing$`));
  await waitForHydration(page);

  // Two accounts from the list — the manager and the specialist — and an engagement
  // specialist typed in as a named row: a named member never counts (R18).
  const team = page.getByRole("region", { name: "The team (R18)" });
  await team.getByLabel(/Casey Demo-Coach \(CD\)/).uncheck();
  await team.getByLabel(/Emery Demo-Specialist \(ED\)/).check();
  await expect(team.getByLabel(/Morgan Demo-Manager \(MD\)/)).toBeChecked();
  await team.getByLabel("Named member 1: initials").fill("JQ");
  await team.getByLabel("Named member 1: role").selectOption({ label: "Engagement specialist" });
  await expect(team.getByRole("status")).toHaveText(
    "2 department staff on the team: 1 more needed — at least three (R18). 0 confirmed being present; a DQ1 needs three who did.",
  );
  await reviewEveryArea(page);
  await answerGoodCause(page);
  await page.getByLabel(/recommended engagement strategies/).fill("Evening check-in calls");
  await page.getByLabel(/PDP next steps and supports/).fill("Job search around the new schedule");
  await page.getByRole("button", { name: "Save the staffing" }).click();
  await expect(page.getByText("The staffing is saved.")).toBeVisible();
  await expect(presence(page)).toContainText("JQ, Engagement specialist — named only (no account of the branch): does not count");
  await waitForHydration(page);
  await noViolations(page);

  // Both real members confirm: the manager here, from the keyboard; the specialist in their
  // own browser. The named row has nothing to confirm.
  await page.getByRole("button", { name: /^I was present at this staffing/ }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByText("Your presence at the staffing is confirmed (R18).")).toBeVisible();
  const specialist = await signedIn("specialist@demo.test");
  await specialist.goto(`/episodes/${id}/staffing`);
  await confirmPresence(specialist, id, /Emery Demo-Specialist/);
  await page.reload();
  await expect(presence(page).getByRole("status")).toHaveText("2 of the at least 3 department members a DQ1 needs confirmed (1 more, R18).");
  await waitForHydration(page);

  // DQ1: the live list names both R18 items, and the server refuses the decision.
  await page.getByLabel("DQ1 — JOBS disqualification").check();
  const r18 = [
    "The staffing had 2 department staff picked from the branch's list; at least 3 are needed (1 more). Someone named without an account does not count. (R18)",
    "2 department member(s) confirmed being present with their own sign-in; at least 3 must (1 more). (R18)",
  ];
  for (const item of r18) await expect(readiness(page)).toContainText(item);
  await expect(readiness(page)).not.toContainText("(R20)");
  await expect(readiness(page)).not.toContainText("(R23)");
  await noViolations(page);
  await page.getByRole("button", { name: "Save and decide" }).click();
  await expect(page.getByRole("alert")).toContainText(/The staffing is saved\. A DQ1 may not be imposed yet: \d+ step\(s\) of due process are not done \(R26\)\./);
  for (const item of r18) await expect(readiness(page)).toContainText(item);
  // The decision is not recorded (the superseded one stays in the history); the same team
  // saved again keeps its confirmations.
  await expect(page.getByText(/^DQ1 — JOBS disqualification — decided \w+day, \w+ \d+, \d{4}$/)).toHaveCount(0);
  await expect(page.locator(".superseded").getByRole("listitem")).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Save and decide" })).toBeVisible();
  await expect(presence(page).getByRole("status")).toHaveText("2 of the at least 3 department members a DQ1 needs confirmed (1 more, R18).");

  // A change to the team clears every confirmation: the lead worker instead of the specialist.
  await waitForHydration(page);
  await team.getByLabel(/Emery Demo-Specialist \(ED\)/).uncheck();
  await team.getByLabel(/Lee Demo-Lead \(LD\)/).check();
  await page.getByRole("button", { name: "Save the staffing" }).click();
  await expect(page.getByText("The staffing is saved.")).toBeVisible();
  await expect(presence(page)).toContainText("Morgan Demo-Manager (MD), Operations manager — not yet confirmed");
  await expect(presence(page).getByRole("status")).toHaveText("0 of the at least 3 department members a DQ1 needs confirmed (3 more, R18).");
  await page.goto(`/episodes/${id}`);
  await expect(page.locator("[aria-current=step]")).toHaveText(/Staffing/);
});

test("a good-cause staffing closes without a disqualification", async ({ page }) => {
  const id = own(30, 22);
  await openWorkspace(page, id, "specialist@demo.test");
  await page.getByRole("button", { name: "Mark gathered" }).click();
  await expect(page.getByText("The information is marked gathered.")).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel(/Morgan Demo-Manager \(MD\)/).check();
  await reviewEveryArea(page);
  await answerGoodCause(page, ["outside the participant's control"]);
  await page
    .getByRole("group", { name: /situation outside the participant's control/ })
    .getByLabel("Yes")
    .check();
  await expect(page.getByRole("region", { name: "Good cause (R23)" }).getByRole("status")).toHaveText(
    "Good cause found: a situation outside the participant's control prevented engagement. No disqualification may be imposed (R23).",
  );
  // A DQ1 is not possible with good cause found: the list says why.
  await page.getByLabel("DQ1 — JOBS disqualification").check();
  await expect(readiness(page)).toContainText("Good cause: a situation outside the participant's control prevented engagement. No disqualification may be imposed. (R23)");
  await page.getByLabel(/recommended engagement strategies/).fill("Connect with the housing partner");
  await page.getByLabel(/PDP next steps and supports/).fill("Childcare search, two weeks");
  await page.getByLabel("Good cause — no disqualification").check();
  await expect(readiness(page)).toHaveCount(0);
  await page.getByRole("button", { name: "Save and decide" }).click();
  await expect(page.getByText("The staffing and the decision are saved.")).toBeVisible();
  await expect(page.getByText(/^Good cause — no disqualification — decided/)).toBeVisible();
  // R25: the Engagement narrative records the good cause; R22: the staffing narrative.
  await expect(page.getByLabel("Engagement narrative — draft from decision")).toHaveValue(/had good cause for not engaging: a situation outside the participant's control/);
  await expect(page.getByLabel("Engagement narrative — draft from staffing")).toHaveValue(/Present at staffing: FC: CD, .*Manager: MD/);
  await page.goto(`/episodes/${id}`);
  await expect(page.getByText("This episode is closed.")).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the readiness list is on the page, and a refused form keeps everything typed", async ({ page }) => {
    await signIn(page, "lead@demo.test");
    await page.goto("/episodes/38/staffing");
    await expect(page.getByRole("heading", { level: 3, name: "DQ1 readiness (R26)" })).toBeVisible();
    await expect(readiness(page)).toContainText("Gather the missing information: child safety check. (R17)");
    // A partner with no MCS 3010 on file is refused (R19), with what was typed kept.
    await page.getByLabel("Another partner (name)").fill("Food bank");
    await page.getByLabel(/recommended engagement strategies/).fill("Home visit next week");
    await page.getByRole("button", { name: "Save the staffing" }).click();
    await expect(page.getByRole("alert")).toContainText("Food bank may not be invited without an MCS 3010 release in force (R19).");
    await expect(page.getByLabel("Another partner (name)")).toHaveValue("Food bank");
    await expect(page.getByLabel(/recommended engagement strategies/)).toHaveValue("Home visit next week");
    await expect(page.getByText("Food bank has no MCS 3010 in force on the staffing day: may not be invited (R19).")).toBeVisible();
  });
});

test("the keyboard alone weighs a DQ1, and no WCAG 2.1 AA violation (axe-core)", async ({ page }) => {
  await signIn(page, "lead@demo.test");
  await page.goto("/episodes/38/staffing");
  await waitForHydration(page);
  // The list shows only while a DQ1 is considered.
  await expect(readiness(page)).toHaveCount(0);
  await page.getByLabel("Re-engaged with a new plan").focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByLabel("DQ1 — JOBS disqualification")).toBeChecked();
  await expect(readiness(page)).toContainText("Gather the missing information: child safety check. (R17)");
  // The next stop after the choice is the first place to fix.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Fix: the missing information" })).toBeFocused();
  await noViolations(page);
});

test("a contractor is refused the workspace", async ({ page }) => {
  await signIn(page, "contractor@demo.test");
  const response = await page.goto("/episodes/38/staffing");
  expect([403, 404]).toContain(response?.status());
});
