import { expect, test, type Locator, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";

// The staffing workspace (R17–R27, R30), as a supervisor runs it: a staffing blocked by
// missing information (R17), resolved in place; a DQ1 tried with a step missing — the live
// readiness list (R26), then the server's refusal with the same list; completed, decided,
// finalized with the steps after a DQ1 (R27), read-only; a new staffing on new information
// (R24). A good-cause staffing (R23). The keyboard alone, and axe-core on every state.
// The demo's episodes 6, 14, 22, 30 and 38 are at the staffing stage, each waiting for a
// child safety check; each project works on episodes of its own (they run at once).
function own(phone: number, desktop: number): number {
  return test.info().project.name === "phone" ? phone : desktop;
}

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

/** Answers every barrier area for the adult and the children: not present (R20). */
async function reviewEveryArea(page: Page): Promise<void> {
  const present = page.getByRole("group", { name: "Present?" });
  await expect(present).toHaveCount(12);
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

test("a DQ1 staffing: blocked, refused with the list, decided, finalized, read-only, reviewed again", async ({ page }) => {
  // The whole staffing, eight page loads and three axe runs on a long page: more than the
  // default 30 s when the other project runs beside it.
  test.setTimeout(120_000);
  const id = own(14, 6);
  await openWorkspace(page, id, "manager@demo.test");

  // Blocked by missing information (R17).
  const missing = page.getByRole("region", { name: "Missing information (R17)" });
  await expect(missing).toContainText("child safety check (Child safety check) — requested");
  await expect(missing).toContainText("no determination until each is gathered (R17)");

  // The team: the coach and the signed-in manager are offered; the page says how many more.
  const team = page.getByRole("region", { name: "The team (R18)" });
  await expect(team.getByRole("status")).toHaveText("2 department staff on the team: 1 more needed — at least three (R18).");
  await team.getByLabel(/Emery Demo-Specialist \(ED\)/).check();
  await expect(team.getByRole("status")).toHaveText("3 department staff on the team: enough (R18).");

  // DQ1 considered with nothing else filled in: the readiness list, live.
  await page.getByLabel("DQ1 — JOBS disqualification").check();
  await expect(readiness(page)).toContainText("Gather the missing information: child safety check. (R17)");
  await expect(readiness(page)).toContainText("Review domestic violence (last 6 months) for the adult. (R20)");
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
  await expect(readiness(page)).toContainText("1 step(s) of due process are not done");
  await expect(readiness(page)).toContainText("Answer: Did the department fail to provide assistance or reasonable accommodation? (R23)");

  // The server refuses with the same list; the staffing is kept.
  await page.getByRole("button", { name: "Save and decide" }).click();
  await expect(page.getByRole("alert")).toContainText("The staffing is saved. A DQ1 may not be imposed yet: 1 step(s) of due process are not done (R26).");
  await expect(readiness(page)).toContainText("Answer: Did the department fail to provide assistance or reasonable accommodation? (R23)");
  await expect(page.getByLabel(/recommended engagement strategies/)).toHaveValue("Weekly check-in call");
  await waitForHydration(page);

  // Completed: every step done; decided.
  await answerGoodCause(page);
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
  await finalization.getByLabel(/PDP shows an RE step/).check();
  await finalization.getByLabel(/selected on the TRACS Re-engagement page/).check();
  await expect(finalization.locator(".readiness")).toContainText("Every step is done: the DQ1 may be finalized (R26).");
  await noViolations(page);
  await finalization.getByRole("button", { name: "Finalize the DQ1" }).click();
  await expect(page.getByText("The DQ1 is finalized. The decision is now read-only.")).toBeVisible();
  await expect(page.getByText(/The decision is final and read-only/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Finalize the DQ1" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Save and decide" })).toHaveCount(0);
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
