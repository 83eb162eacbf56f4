/** The office's date (Oregon) `days` from now, as a date input's value (YYYY-MM-DD). */
export function officeDate(days = 0): string {
  return new Date(Date.now() + days * 86_400_000).toLocaleDateString("en-CA", {
    timeZone: "America/Los_Angeles",
  });
}
