import { expect, test, watchSends } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";

// R15: the DHS 7869 notice is mailed at least 7 calendar days before the appointment.
// R16: the appointment is on a business day.

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("R15 the server renders the mailing day for the date in the URL", async ({ page }) => {
    await page.goto("/notice?appointment=2026-12-08");
    await expect(page.getByRole("status")).toHaveText(
      "The DHS 7869 notice must be mailed by Tuesday, December 1, 2026",
    );
    await expect(page.getByLabel("Re-engagement appointment date")).toHaveValue("2026-12-08");
  });

  test("R15 the form works as plain HTML", async ({ page }) => {
    await page.goto("/notice");
    await expect(page.getByRole("status")).toHaveText("Pick a date to see the mailing deadline.");
    await page.getByLabel("Re-engagement appointment date").fill("2026-12-14");
    await page.getByRole("button", { name: "Show mailing date" }).click();
    await expect(page).toHaveURL(/\/notice\?appointment=2026-12-14$/);
    await expect(page.getByRole("status")).toHaveText(
      "The DHS 7869 notice must be mailed by Monday, December 7, 2026",
    );
  });
});

test.describe("after hydration", () => {
  test("R15 typing a new date changes the sentence with no navigation", async ({ page }) => {
    await page.goto("/notice?appointment=2026-12-08");
    await waitForHydration(page);
    // A navigation would wipe this marker.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const requests = watchSends(page);

    await page.getByLabel("Re-engagement appointment date").fill("2027-01-06");
    await expect(page.getByRole("status")).toHaveText(
      "The DHS 7869 notice must be mailed by Wednesday, December 30, 2026",
    );
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(requests).toEqual([]);
    await expect(page).toHaveURL(/appointment=2026-12-08$/);
  });

  test("R15 the mailing day moves back past Thanksgiving", async ({ page }) => {
    await page.goto("/notice");
    await waitForHydration(page);
    await page.getByLabel("Re-engagement appointment date").fill("2026-12-04");
    await expect(page.getByRole("status")).toHaveText(
      "The DHS 7869 notice must be mailed by Wednesday, November 25, 2026",
    );
    await page.getByLabel("Re-engagement appointment date").fill("2027-01-01");
    await expect(page.getByRole("status")).toContainText(
      "Friday, January 1, 2027 is not a business day.",
    );
  });

  test("R16 a weekend appointment is explained, not computed", async ({ page }) => {
    await page.goto("/notice");
    await waitForHydration(page);
    await page.getByLabel("Re-engagement appointment date").fill("2026-12-05");
    await expect(page.getByRole("status")).toHaveText(
      "Saturday, December 5, 2026 is not a business day. Choose a weekday the office is open for the re-engagement appointment (R16).",
    );
    // Clearing the date goes back to the prompt.
    await page.getByLabel("Re-engagement appointment date").fill("");
    await expect(page.getByRole("status")).toHaveText("Pick a date to see the mailing deadline.");
  });

  test("the skip link is the first stop for the keyboard", async ({ page }) => {
    await page.goto("/notice");
    await waitForHydration(page);
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to main content" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/#main$/);
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Re-engagement appointment date")).toBeFocused();
  });
});

test.describe("accessibility (axe-core, WCAG 2.1 A and AA)", () => {
  for (const address of [
    "/",
    "/notice",
    "/notice?appointment=2026-12-08",
    "/notice?appointment=2026-12-05",
    "/no-such-page",
    "/signin",
    "/signin?failed=1",
  ]) {
    test(`no violations on ${address}`, async ({ page }) => {
      await page.goto(address);
      await waitForHydration(page);
      const results = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      expect(results.violations).toEqual([]);
    });
  }
});

// The notice in the participant's language (their record's; the demo's every third
// participant reads Spanish), and in English on request for the office.
test.describe("the printed notice in Spanish", () => {
  test("a Spanish reader's notice prints in Spanish, and in English on request", async ({ page }) => {
    await signIn(page, "coach@demo.test");
    let found: number | undefined;
    for (let id = 1; id <= 80 && found === undefined; id++) {
      const episode = await page.request.get(`/api/v1/episodes/${id}`);
      if (episode.status() !== 200) continue;
      const record = await episode.json();
      if (!record.facts.appointment || record.closed) continue;
      const person = await (await page.request.get(`/api/v1/participants/${record.participant_id}`)).json();
      if (person.language === "es") found = id;
    }
    expect(found, "a demo episode with an appointment for a Spanish reader").toBeDefined();

    await page.goto(`/episodes/${found}/notice/print`);
    const sheet = page.getByRole("article");
    await expect(page.getByRole("heading", { level: 1, name: "Aviso de cita de reincorporación" })).toBeVisible();
    await expect(sheet).toHaveAttribute("lang", "es");
    await expect(page.getByTestId("notice-language")).toContainText("Printed in Spanish (Español)");
    await expect(sheet).toContainText("Número de caso");
    await expect(sheet).toContainText(/(lunes|martes|miércoles|jueves|viernes) \d{1,2} de [a-z]+ de \d{4}/);
    await expect(sheet).toContainText("Si no puede venir, llámenos antes de la cita.");
    // The office's line stays in English.
    await expect(sheet.locator(".file-copy")).toHaveAttribute("lang", "en");
    await expect(sheet.locator(".file-copy")).toContainText("Printed in Spanish.");
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations).toEqual([]);

    await page.getByRole("link", { name: "Print in English instead" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Re-engagement appointment notice" })).toBeVisible();
    await expect(page.getByRole("article")).toHaveAttribute("lang", "en");
    await expect(page.getByTestId("notice-language")).toContainText("reads Spanish");
  });
});
