import { expect, test, type Page, watchSends } from "./fixtures";
import AxeBuilder from "@axe-core/playwright";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";

// Recording the DHS 7869 notice mailed (R15): in time, or late with the fix, said as the
// day is entered. The demo's episodes 5, 13, 21, 29 and 37 have an appointment and no
// notice yet; a test that saves works on an episode of its own.
function own(phone: number, desktop: number): number {
  return test.info().project.name === "phone" ? phone : desktop;
}

async function openForm(page: Page, id: number): Promise<void> {
  await signIn(page, "coach@demo.test");
  await page.goto(`/episodes/${id}`);
  // At the appointment stage the appointment can be moved (R15).
  await expect(page.getByRole("link", { name: "Reschedule the appointment" })).toBeVisible();
  await page.getByRole("link", { name: "Record the notice mailed" }).click();
  await expect(page).toHaveURL(new RegExp(`/episodes/${id}/notice$`));
  await expect(page.getByRole("heading", { level: 1, name: "Record the notice mailed" })).toBeVisible();
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a notice mailed today is in time and saved", async ({ page }) => {
    const id = own(13, 21);
    await openForm(page, id);
    await expect(page.getByRole("status")).toContainText(/In time: at least 7 days before the appointment on/);
    await page.getByRole("button", { name: "Save mailing" }).click();
    await expect(page).toHaveURL(new RegExp(`/episodes/${id}\\?saved=notice$`));
    await expect(page.getByText("The notice is saved.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Record the notice mailed" })).toHaveCount(0);
  });
});

test.describe("with JavaScript", () => {
  test("a late day says to reschedule before anything is sent", async ({ page }) => {
    await openForm(page, 5);
    await waitForHydration(page);
    const requests = watchSends(page);
    const status = page.getByRole("status");
    const lead = (await page.locator(".lead").textContent()) ?? "";
    const appointment = new Date(lead.split("appointment on ")[1] + " UTC");
    const late = appointment.toISOString().slice(0, 10);
    await page.getByLabel("Day the DHS 7869 notice was mailed").fill(late);
    await expect(status).toContainText(/fewer than 7 days before the appointment\. Reschedule the appointment to \w+day, .* or later and mail a new notice for it \(R15\)\./);
    expect(requests).toEqual([]);
  });

  test("no WCAG 2.1 AA violation (axe-core)", async ({ page }) => {
    await openForm(page, 5);
    await waitForHydration(page);
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(results.violations).toEqual([]);
  });
});
