"""Couple mode in a real browser: two users in two browser contexts (separate cookie jars).

Invite, accept, both answer the daily question (hidden until both answered, then revealed to
both), unlink; uses the live server and chromium fixtures of tests/e2e/conftest.py.
"""

from __future__ import annotations

import itertools
import re
import time

from playwright.sync_api import Page, expect

PASSWORD = "a long test password 1"
_serial = itertools.count(1)


def new_username(prefix: str) -> str:
    return f"{prefix}{int(time.time() * 1000) % 10**8}{next(_serial)}"


def sign_up(page: Page, username: str) -> None:
    page.goto("/signup")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/chat$"))


def test_two_partners_link_answer_reveal_and_unlink(new_context):
    ana, ben = new_context().new_page(), new_context().new_page()
    ana_name, ben_name = new_username("ana"), new_username("ben")
    sign_up(ana, ana_name)
    sign_up(ben, ben_name)

    # Ana makes an invite code; Ben accepts it with his own account.
    ana.click("nav >> text=Partner")
    ana.click("#make-invite")
    code = ana.inner_text("#invite-code").strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    ben.goto("/partner")
    ben.fill("#code", code)
    ben.click("#accept")
    expect(ben.locator("#linked-with")).to_contain_text(ana_name)
    ana.goto("/partner")
    expect(ana.locator("#linked-with")).to_contain_text(ben_name)
    question = ana.inner_text("#daily-text")
    expect(ben.locator("#daily-text")).to_have_text(question)

    # Ana answers: Ben sees that she did, but not what she wrote.
    ana_answer = "The picnic where it rained and we stayed anyway"
    ana.fill("#answer", ana_answer)
    ana.click("#send-answer")
    expect(ana.locator("#waiting")).to_be_visible()
    expect(ana.locator("#my-answer")).to_have_text(ana_answer)
    ben.reload()
    expect(ben.locator("#partner-answered")).to_be_visible()
    expect(ben.locator("#partner-answer")).to_have_count(0)
    assert ana_answer not in ben.content()

    # Ben answers: both answers are revealed to both.
    ben_answer = "Cooking together on Sunday nights"
    ben.fill("#answer", ben_answer)
    ben.click("#send-answer")
    expect(ben.locator("#partner-answer")).to_have_text(ana_answer)
    expect(ben.locator("#daily-streak")).to_have_text("1")
    ana.reload()
    expect(ana.locator("#partner-answer")).to_have_text(ben_answer)

    # Ana unlinks quietly: sharing stops for both at once.
    ana.click("#quiet-unlink summary")
    ana.click("#unlink")
    expect(ana.locator("#accept-form")).to_be_visible()
    assert ben_answer not in ana.content()
    ben.reload()
    expect(ben.locator("#accept-form")).to_be_visible()
    assert ana_answer not in ben.content()
    # The old code cannot link anyone again.
    ben.fill("#code", code)
    ben.click("#accept")
    expect(ben.locator("#partner-error")).to_contain_text("already used")
