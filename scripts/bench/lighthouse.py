"""Reads Lighthouse JSON reports (one page, several runs) and prints the median figures."""
import json
import statistics
import sys

label, *reports = sys.argv[1:]
runs = []
for path in reports:
    with open(path) as f:
        report = json.load(f)
    audits = report["audits"]
    runs.append({
        "performance": report["categories"]["performance"]["score"] * 100,
        "accessibility": report["categories"]["accessibility"]["score"] * 100,
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
    })
med = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
print(f"  {label:<14} performance {med['performance']:>3.0f}  accessibility {med['accessibility']:>3.0f}  "
      f"LCP {med['lcp'] / 1000:.2f} s  TBT {med['tbt']:.0f} ms  CLS {med['cls']:.3f}  (median of {len(runs)})")
