"""The command line as a user and a script use it: real processes, real SQLite files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(args: list[str], stdin: bytes | str = b"", home=None, check: bool = False):
    env = {**os.environ}
    if home is not None:
        env["AMANTE_HOME"] = str(home)
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        [sys.executable, "-m", "amante.cli", *args],
        input=data,
        capture_output=True,
        env=env,
        timeout=120,
    )
    if check:
        assert proc.returncode == 0, proc.stderr.decode()
    return proc


def lines(proc) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def test_analyze_contract(amante_home):
    proc = run(
        ["analyze"],
        '{"id": "a", "text": "You never listen to me. I feel so alone."}\n'
        "plain text line about money fights\n",
        amante_home,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    first, second = lines(proc)
    assert first["id"] == "a" and second["id"] == 2
    for out in (first, second):
        assert set(out) >= {"id", "safety", "emotions", "topics", "horsemen", "intent"}
        assert set(out["safety"]) == {"level", "categories", "refuse"}
        scores = [e["score"] for e in out["emotions"]]
        assert scores == sorted(scores, reverse=True)
    assert first["horsemen"][0]["label"] == "criticism"
    assert "never" in first["horsemen"][0]["evidence"].lower()


def test_analyze_bad_lines_get_errors_in_place_and_exit_1(amante_home):
    stdin = (
        b'{"id": 1, "text": "fine message"}\n'
        b'{"id": 2, "text": 5}\n'
        b"{not json\n"
        b"\xff\xfe broken utf8\n"
        b"   \n" + b'{"id": 6, "text": "' + b"x" * 8100 + b'"}\n'
        b'{"id": 7, "text": "we fight about chores"}\n'
    )
    proc = run(["analyze"], stdin, amante_home)
    assert proc.returncode == 1
    out = lines(proc)
    assert [o["id"] for o in out] == [1, 2, 3, 4, 5, 6, 7]
    assert "error" not in out[0] and "error" not in out[6]
    assert "'text' must be a string" in out[1]["error"]
    assert "not valid JSON" in out[2]["error"]
    assert "UTF-8" in out[3]["error"]
    assert "empty" in out[4]["error"]
    assert "limit is 8000" in out[5]["error"]
    assert b"Traceback" not in proc.stderr


def test_reply_contract_and_continuing_a_conversation(amante_home):
    proc = run(
        ["reply"],
        '{"id": "x", "text": "My girlfriend Mia and I keep fighting about money."}\n',
        amante_home,
        check=True,
    )
    (first,) = lines(proc)
    assert set(first) == {"id", "conversation", "reply", "safety", "strategy", "techniques"}
    conv = first["conversation"]
    follow = json.dumps({"id": "y", "conversation": conv, "text": "What should I say to her?"})
    (second,) = lines(run(["reply"], follow + "\n", amante_home, check=True))
    assert second["conversation"] == conv
    history = json.loads(
        run(["history", "--json", "--id", conv], home=amante_home, check=True).stdout
    )
    texts = [m["text"] for m in history["conversations"][0]["messages"]]
    assert len(texts) == 4 and texts[2] == "What should I say to her?"


def test_reply_unknown_conversation_is_an_error_line(amante_home):
    proc = run(["reply"], '{"id": 1, "conversation": "nope", "text": "hello"}\n', amante_home)
    assert proc.returncode == 1
    (out,) = lines(proc)
    assert out["id"] == 1 and "no conversation" in out["error"]


def test_crisis_reply_has_resources_for_the_region(amante_home):
    run(["profile", "--set", "region=UK"], home=amante_home, check=True)
    (out,) = lines(run(["reply"], "I want to end my life\n", amante_home, check=True))
    assert out["safety"]["level"] == "crisis"
    assert "116 123" in out["reply"]
    assert out["techniques"] == []


def test_chat_remembers_the_user_across_runs(amante_home):
    first = run(
        ["chat"],
        "/profile name=Maya\nMy wife Ana and I keep fighting about chores.\n/quit\n",
        amante_home,
        check=True,
    )
    assert b"Maya" in first.stdout
    profile = json.loads(run(["profile", "--json"], home=amante_home, check=True).stdout)
    assert profile["name"] == "Maya"
    assert {"key": "partner_name", "value": "Ana"} in profile["facts"]
    second = run(
        ["chat"],
        "We had another argument yesterday and I feel hurt.\n/quit\n",
        amante_home,
        check=True,
    ).stdout.decode()
    assert "Maya" in second or "Ana" in second or "chores" in second


def test_profile_wrong_value_is_refused_and_nothing_changes(amante_home):
    run(["profile", "--set", "name=Maya"], home=amante_home, check=True)
    proc = run(["profile", "--set", "region=Mars", "--set", "name=Other"], home=amante_home)
    assert proc.returncode == 2
    assert b"region" in proc.stderr and b"Traceback" not in proc.stderr
    profile = json.loads(run(["profile", "--json"], home=amante_home, check=True).stdout)
    assert profile["name"] == "Maya"
    bad = run(["profile", "--set", "shoe_size=9"], home=amante_home)
    assert bad.returncode == 2 and b"shoe_size" in bad.stderr


def test_export_writes_valid_json_with_everything(amante_home, tmp_path):
    run(["reply"], "My partner Sam never listens.\n", amante_home, check=True)
    target = tmp_path / "export.json"
    run(["export", "--output", str(target)], home=amante_home, check=True)
    data = json.loads(target.read_text())
    assert data["format"] == "amante-export"
    assert data["conversations"][0]["messages"][0]["text"] == "My partner Sam never listens."
    assert {"key": "partner_name", "value": "Sam"} in data["facts"]


def test_forget_all_removes_everything(amante_home):
    run(["reply"], "My partner Sam never listens.\n", amante_home, check=True)
    run(["forget", "all", "--yes"], home=amante_home, check=True)
    data = json.loads(run(["export"], home=amante_home, check=True).stdout)
    assert data["conversations"] == [] and data["facts"] == []


def test_corrupt_database_is_reported_without_traceback(amante_home):
    amante_home.mkdir(parents=True)
    db = amante_home / "amante.db"
    db.write_bytes(b"garbage" * 500)
    proc = run(["history"], home=amante_home)
    assert proc.returncode == 2
    assert b"not a valid amante database" in proc.stderr
    assert b"Traceback" not in proc.stderr
    assert db.read_bytes() == b"garbage" * 500


@pytest.mark.parametrize("args", [
    ["eval", "nonsense"],
    ["forget", "everything", "--yes"],
    ["eval", "safety", "--blind", "no-such-blind-set.jsonl"],
    ["eval", "emotions", "--blind", str(Path(__file__).resolve().parents[1] / "pyproject.toml")],
])
def test_bad_arguments_give_a_clear_message(args, amante_home):
    proc = run(args, home=amante_home)
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr
