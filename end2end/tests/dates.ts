/** The office's date (Oregon) `days` from now, as a date input's value (YYYY-MM-DD). */
export function officeDate(days = 0): string {
  return new Date(Date.now() + days * 86_400_000).toLocaleDateString("en-CA", {
    timeZone: "America/Los_Angeles",
  });
}

/** The day before `date` (YYYY-MM-DD), the same way. */
export function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** A date (YYYY-MM-DD) as the pages write it: "Monday, November 30, 2026". */
export function longDate(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString("en-US", {
    weekday: "long",
    month: "long",
    day: "numeric",
    year: "numeric",
    timeZone: "UTC",
  });
}

/** A deadline near today as the pages write it: "Monday, November 30", the year only when
 * it is not this year's. */
export function dueDate(date: string, today = officeDate(0)): string {
  const long = longDate(date);
  return date.slice(0, 4) === today.slice(0, 4) ? long.replace(/, \d{4}$/, "") : long;
}
