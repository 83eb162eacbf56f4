import { expect, test } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";

// The branch at a glance (supervisors, desktop first): counts by stage, work by coach, DQ1
// decisions waiting for finalization (R26), filters by coach, stage and due-by day as a plain
// form, the open-episode list sorted by its column headers and downloaded as CSV.

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a manager filters the branch by stage", async ({ page }) => {
    await signIn(page, "manager@demo.test");
    await page.getByRole("link", { name: "Branch at a glance" }).click();
    await expect(page).toHaveURL(/\/branch$/);
    await expect(page.getByRole("heading", { level: 1, name: "Branch at a glance" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Open episodes by stage" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Overdue and at-risk work by coach" })).toContainText("Casey Demo-Coach");
    await page.getByLabel("Stage").selectOption({ label: "Appointment scheduled" });
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/\/branch\?coach=&stage=AppointmentScheduled&due_by=&sort=&dir=&csort=&cdir=&from=[\d-]+&to=[\d-]+$/);
    const list = page.getByRole("table", { name: /^Open episodes \(\d+\)$/ });
    const rows = list.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThan(0);
    for (const stage of await rows.locator("td:nth-of-type(2)").allTextContents()) {
      expect(stage).toBe("Appointment scheduled");
    }
    await expect(page.getByLabel("Stage")).toHaveValue("AppointmentScheduled");
  });
});

test.describe("with JavaScript", () => {
  test("a coach is refused the branch view", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    await expect(page.getByRole("link", { name: "Branch at a glance" })).toHaveCount(0);
    const response = await page.goto("/branch");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("alert")).toContainText("Your role does not allow this");
  });

  test("the keyboard alone filters, and no WCAG 2.1 AA violation (axe-core)", async ({ page }) => {
    await signIn(page, "lead@demo.test");
    await page.goto("/branch");
    await waitForHydration(page);
    await page.getByLabel("Stage").focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Due by")).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/branch\?coach=&stage=Missed&due_by=&sort=&dir=&csort=&cdir=&from=[\d-]+&to=[\d-]+$/);
    await expect(page.getByText(/^First contacts within 1 business day \(R2\): /)).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: "Branch at a glance" })).toBeVisible();
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(results.violations).toEqual([]);
  });
});

test.describe("the efforts without disqualification (R29)", () => {
  test("a manager filters by coach and downloads the same rows as CSV", async ({ page }) => {
    await signIn(page, "manager@demo.test");
    await page.goto("/branch");
    await page.getByRole("link", { name: "Efforts without DQ (R29)" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Efforts without disqualification (R29)" })).toBeVisible();
    await waitForHydration(page);
    await page.getByLabel("Coach").selectOption({ label: "Casey Demo-Coach" });
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/\/branch\/efforts\?coach=\d+&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
    const table = page.getByRole("table", { name: /^Efforts without disqualification \(\d+\)$/ });
    const rows = await table.locator("tbody tr").count();
    expect(rows).toBeGreaterThan(0);
    await expect(table).not.toContainText("DQ1 — disqualification");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    const stream = await download.createReadStream();
    let text = "";
    for await (const chunk of stream) text += chunk;
    // UTF-8 with its byte order mark, so Excel keeps accented names.
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("episode,participant,case_number,coach,missed_on,missed,attempts,outcome");
    expect(lines.length - 1).toBe(rows);
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(results.violations).toEqual([]);
  });
});

test.describe("the open-episode list", () => {
  test("sorts by a column from the keyboard and downloads what it lists as CSV", async ({ page }) => {
    await signIn(page, "manager@demo.test");
    await page.goto("/branch");
    await waitForHydration(page);
    const list = page.getByRole("table", { name: /^Open episodes \(\d+\)$/ });
    await expect(list.getByRole("columnheader", { name: /Most urgent/ })).toHaveAttribute("aria-sort", "ascending");
    // The Participant header, by keyboard: sorted ascending, then reversed.
    await list.getByRole("link", { name: /^Participant/ }).focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/sort=participant&dir=asc&/);
    await expect(list.getByRole("columnheader", { name: /Participant/ })).toHaveAttribute("aria-sort", "ascending");
    const names = async () => list.locator("tbody th").allTextContents();
    const ascending = await names();
    expect(ascending.length).toBeGreaterThan(5);
    expect(ascending).toEqual([...ascending].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    await list.getByRole("link", { name: /^Participant/ }).click();
    await expect(page).toHaveURL(/sort=participant&dir=desc&/);
    await expect(list.getByRole("columnheader", { name: /Participant/ })).toHaveAttribute("aria-sort", "descending");
    // The work by coach sorts the same way, keeping the list's order.
    const byCoach = page.getByRole("table", { name: "Overdue and at-risk work by coach" });
    await byCoach.getByRole("link", { name: /^Overdue/ }).click();
    await expect(page).toHaveURL(/sort=participant&dir=desc&csort=overdue&cdir=asc$/);
    await expect(byCoach.getByRole("columnheader", { name: /Overdue/ })).toHaveAttribute("aria-sort", "ascending");
    await expect(list.getByRole("columnheader", { name: /Participant/ })).toHaveAttribute("aria-sort", "descending");
    // The CSV holds the rows listed (the other project changes episodes meanwhile: compare
    // the page and the file fetched together until they agree).
    await expect
      .poll(async () => {
        await page.reload();
        const shown = await names();
        const href = await page.getByRole("link", { name: "Download the open episodes (CSV)" }).getAttribute("href");
        const csv = await (await page.request.get(href ?? "")).text();
        const rows = csv.trim().split("\r\n").slice(1).map((line) => line.split(",")[1].replace(/"/g, ""));
        return JSON.stringify(rows) === JSON.stringify(shown);
      })
      .toBe(true);
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(results.violations).toEqual([]);
  });
});
