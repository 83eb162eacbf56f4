"""Writes under load for `make bench`: CLIENTS signed-in coaches each log an attempt (R4) on an
open episode of their own about every PACE seconds (half to one and a half times that, so they
do not move in step) for SECONDS, through the REST API of the server at BASE. Prints the
attempts answered, their p50 and p99, the errors, and how many acknowledged attempts the
server does not list afterwards (lost), with the verdict against the targets given.

usage: writes.py BASE COOKIES_FILE CLIENTS SECONDS PACE P99_TARGET_MS
"""

import json
import random
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo

base, cookies_file, clients, seconds, pace, target = sys.argv[1:]
clients, seconds, pace, target = int(clients), float(seconds), float(pace), float(target)
cookies = open(cookies_file).read().split()


def call(method, path, cookie, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{base}{path}", data=data, method=method,
        headers={"Cookie": cookie, "Origin": base, "Content-Type": "application/json",
                 "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")[:200]


def attempt(episode, version):
    # Today in Oregon, where the offices are (a later day would be refused as in the future).
    today = datetime.now(ZoneInfo("America/Los_Angeles")).date().isoformat()
    return {"on": today, "method": "Phone", "outcome": "MessageLeft",
            "response_window": 2, "version": version}


# Each client an open episode of its own that takes an attempt now (probed once).
work = []
for cookie in cookies:
    status, listed = call("GET", "/api/v1/episodes?limit=50", cookie)
    if status != 200:
        continue
    for row in listed["episodes"]:
        if len(work) >= clients or sum(1 for w in work if w[0] == cookie) >= -(-clients // len(cookies)):
            break
        status, episode = call("GET", f"/api/v1/episodes/{row['id']}", cookie)
        if status != 200:
            continue
        status, after = call("POST", f"/api/v1/episodes/{row['id']}/attempts", cookie,
                             attempt(row["id"], episode["version"]))
        if status == 200:
            work.append((cookie, row["id"], after["version"], len(after["facts"]["attempts"])))
if len(work) < clients:
    print(f"  only {len(work)} open episodes took an attempt; running with those")

latencies, errors = [], []
lock = threading.Lock()
start = time.monotonic()
stop_at = start + seconds
results = {}


def client(index, cookie, episode, version, stored):
    acknowledged = 0
    random.seed(index)
    time.sleep(random.uniform(0, pace))
    while time.monotonic() < stop_at:
        began = time.monotonic()
        status, body = call("POST", f"/api/v1/episodes/{episode}/attempts", cookie,
                            attempt(episode, version))
        took = (time.monotonic() - began) * 1000
        with lock:
            if status == 200:
                latencies.append(took)
            else:
                errors.append(f"{status} {body}")
        if status == 200:
            version = body["version"]
            acknowledged += 1
        elif status == 409:
            _, now = call("GET", f"/api/v1/episodes/{episode}", cookie)
            version = now["version"]
        time.sleep(max(0.0, random.uniform(pace / 2, pace * 1.5) - took / 1000))
    results[index] = (cookie, episode, stored, acknowledged)


threads = [threading.Thread(target=client, args=(i, *w)) for i, w in enumerate(work)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.monotonic() - start

lost = 0
for cookie, episode, stored, acknowledged in results.values():
    status, now = call("GET", f"/api/v1/episodes/{episode}", cookie)
    if status != 200 or len(now["facts"]["attempts"]) < stored + acknowledged:
        lost += acknowledged if status != 200 else stored + acknowledged - len(now["facts"]["attempts"])

latencies.sort()


def percentile(p):
    if not latencies:
        return 0.0
    return latencies[min(len(latencies), max(1, int(-(-p * len(latencies) // 100)))) - 1]


p50, p99 = percentile(50), percentile(99)
verdict = "met" if p99 <= target and not errors and lost == 0 else "not met"
print(f"  {len(work)} clients, an attempt each about every {pace:g} s for {elapsed:.0f} s: "
      f"{len(latencies)} answered ({len(latencies) / elapsed:.0f}/s), p50 {p50:.1f} ms, "
      f"p99 {p99:.1f} ms, {len(errors)} errors, {lost} lost "
      f"(target p99 ≤ {target:g} ms, 0 errors, 0 lost: {verdict})")
for error in errors[:5]:
    print(f"    {error}")
