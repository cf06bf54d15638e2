"""The tools' commands as a user runs them: real processes, a real SQLite file per test."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from icalendar import Calendar


def run(args: list[str], home, stdin: str = ""):
    env = {**os.environ, "AMANTE_HOME": str(home)}
    env.pop("AMANTE_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "amante.cli", *args], input=stdin.encode(),
                          capture_output=True, env=env, timeout=120)


def ok(proc) -> str:
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode()


def test_assess_take_history_and_errors(amante_home):
    out = json.loads(ok(run(["assess", "take", "csi-4", "--answers", "3,4,4,3", "--json"],
                            amante_home)))
    assert out["score"]["total"] == 14 and out["score"]["below_cutoff"] is False
    bad = run(["assess", "take", "csi-4", "--answers", "3,9,4"], amante_home)
    assert bad.returncode == 2
    err = bad.stderr.decode()
    assert "missing answers for satisfied" in err and "warm: 9 is out of range 0-5" in err
    unknown = run(["assess", "take", "love-quiz", "--answers", "1"], amante_home)
    assert unknown.returncode == 2 and "unknown assessment" in unknown.stderr.decode()
    missing = run(["assess", "take", "csi-4"], amante_home)
    assert missing.returncode == 2 and "missing answers" in missing.stderr.decode()
    history = json.loads(ok(run(["assess", "history", "--json"], amante_home)))
    assert [h["score"]["total"] for h in history] == [14]  # the failed attempts saved nothing
    svg = ok(run(["assess", "chart", "csi-4"], amante_home))
    assert svg.startswith("<svg") and svg.count("<circle") == 1


def test_rituals_plan_done_duplicate_and_ics(amante_home, tmp_path):
    plan = json.loads(ok(run(["rituals", "plan", "nightly-gratitude", "--tz", "Asia/Tokyo",
                              "--time", "22:00", "--json"], amante_home)))
    assert plan["timezone"] == "Asia/Tokyo" and plan["time_of_day"] == "22:00"
    for args, message in (
        (["rituals", "plan", "monthly-dreams", "--tz", "UTC", "--monthly", "31"],
         "day 31 does not exist in every month"),
        (["rituals", "plan", "weekly-date", "--tz", "Europe/Atlantis"], "unknown time zone"),
        (["rituals", "plan", "weekly-date", "--tz", "UTC", "--start", "2026-02-31"],
         "February 2026 has 28 days"),
    ):
        proc = run(args, amante_home)
        assert proc.returncode == 2 and message in proc.stderr.decode(), args
    first = json.loads(ok(run(["rituals", "done", "nightly-gratitude", "--json"], amante_home)))
    assert first["streak"] == 1
    again = run(["rituals", "done", "nightly-gratitude"], amante_home)
    assert again.returncode == 2 and "already checked off" in again.stderr.decode()
    plans = json.loads(ok(run(["rituals", "plans", "--json"], amante_home)))
    assert [p["ritual_id"] for p in plans] == ["nightly-gratitude"]  # no half-made plans
    out = tmp_path / "rituals.ics"
    ok(run(["rituals", "ics", "--out", str(out)], amante_home))
    cal = Calendar.from_ical(out.read_bytes())
    (event,) = cal.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert event["RRULE"]["FREQ"] == ["DAILY"]
    feed = json.loads(ok(run(["rituals", "feed", "--json"], amante_home)))
    rotated = json.loads(ok(run(["rituals", "feed", "--rotate", "--json"], amante_home)))
    assert feed["token"] != rotated["token"] and rotated["url"].endswith(".ics")


def test_starters_session_journal_and_rewrite(amante_home):
    drawn = {json.loads(ok(run(["starters", "draw", "--theme", "future", "--depth",
                                "vulnerable", "--json"], amante_home)))["id"] for _ in range(3)}
    assert len(drawn) == 3
    step = json.loads(ok(run(["starters", "session", "--json"], amante_home)))
    assert step["number"] == 1 and step["set_number"] == 1
    bad = run(["starters", "draw", "--depth", "deep"], amante_home)
    assert bad.returncode == 2 and "unknown depth" in bad.stderr.decode()

    entry = json.loads(ok(run(["journal", "write", "-", "--emotions", "hurt,tired", "--mood",
                               "2", "--json"], amante_home, stdin="A hard day at work.")))
    assert entry["emotions"] == ["hurt", "tired"] and entry["mood"] == 2
    empty = run(["journal", "write", "-"], amante_home, stdin="   ")
    assert empty.returncode == 2 and "empty" in empty.stderr.decode()
    wrong = run(["journal", "write", "fine", "--emotions", "hapy"], amante_home)
    assert wrong.returncode == 2 and "Did you mean happy" in wrong.stderr.decode()
    listed = json.loads(ok(run(["journal", "list", "--json"], amante_home)))
    assert len(listed) == 1

    result = json.loads(ok(run(["rewrite", "--json", "-"], amante_home,
                               stdin="You never listen. You're so selfish.")))
    assert {"criticism"} == set(result["horsemen"]) and "I feel" in result["rewrite"]
    assert run(["rewrite", "-"], amante_home, stdin="  ").returncode == 2
