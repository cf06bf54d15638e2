"""The web app in a real headless chromium against a real `amante serve` process.

Each test signs up its own user through the form, so tests are independent of order.
"""

from __future__ import annotations

import itertools
import json
import re
import time

from playwright.sync_api import Page, expect

PASSWORD = "a long test password 1"
_serial = itertools.count(1)
MONEY = "We keep arguing about money. What can I do?"


def new_username(prefix: str) -> str:
    return f"{prefix}{int(time.time() * 1000) % 10**8}{next(_serial)}"


def sign_up(page: Page, username: str, password: str = PASSWORD) -> None:
    """Create an account through the sign-up form; it lands on the chat."""
    page.goto("/signup")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/chat$"))


RECORD_COACH_TEXT = """() => {
  // Record every text the newest coach bubble shows while the reply streams in: the value each
  // change replaces (chromium edits a lone text node in place, so watch character data too).
  window.__coachStates = [];
  const isBubble = (node) => node && node.matches && node.matches("li.msg.coach .text");
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "characterData" && isBubble(r.target.parentElement)) {
        window.__coachStates.push(r.oldValue);
      } else if (r.type === "childList" && isBubble(r.target)) {
        for (const node of r.removedNodes) window.__coachStates.push(node.data);
      }
    }
  }).observe(document.getElementById("messages"), {
    childList: true, subtree: true, characterData: true, characterDataOldValue: true,
  });
}"""


def chat_with_js(page: Page, text: str) -> tuple[list[str], str]:
    """Send `text` from the chat page; return the coach bubble's successive texts and its last."""
    page.evaluate(RECORD_COACH_TEXT)
    page.fill("#text", text)
    with page.expect_response(
        lambda r: "/messages" in r.url and r.request.method == "POST"
    ) as info:
        page.click("#composer button[type=submit]")
    response = info.value
    assert response.status == 201
    assert response.headers["content-type"].startswith("text/event-stream")
    text_box = page.locator("#messages li.msg.coach").last.locator(".text")
    expect(text_box).not_to_be_empty()
    expect(text_box).not_to_have_attribute("aria-busy", "true")
    shown = text_box.evaluate("e => e.textContent")
    return [*page.evaluate("window.__coachStates"), shown], text_box.inner_text()


def stored_messages(page: Page) -> list[dict]:
    """The current conversation's messages as the API returns them (same cookies as the page)."""
    conversation = page.url.rsplit("/", 1)[1]
    response = page.request.get(f"/api/v1/conversations/{conversation}/messages")
    assert response.status == 200
    return response.json()


def test_signup_and_streamed_reply_with_its_techniques(page: Page):
    sign_up(page, new_username("stream"))
    expect(page.locator(".ai-note")).to_contain_text("not a therapist")
    states, shown = chat_with_js(page, MONEY)
    # The page moved to the new conversation's address; message and reply are stored.
    page.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}$"))
    user_msg, coach_msg = stored_messages(page)
    assert user_msg["text"] == MONEY
    assert shown.split() == coach_msg["text"].split()
    # Streamed: the bubble grew chunk by chunk (each state a prefix of the next) to the reply.
    growing = [s for s in states if s]
    assert len(growing) > 3, growing
    assert all(b.startswith(a) for a, b in itertools.pairwise(growing))
    assert growing[-1] == coach_msg["text"]
    expect(page.locator("#messages li.msg.user").last).to_contain_text(MONEY)
    # This message is chosen because the coach offers a technique for it.
    assert coach_msg["techniques"], "expected a technique for a money argument"
    why = page.locator("#messages li.msg.coach").last.locator("details.why")
    expect(why.locator("summary")).to_have_text("Why this reply?")
    why.locator("summary").click()
    for technique in coach_msg["techniques"]:
        expect(why).to_contain_text(technique["title"])
        expect(why).to_contain_text(technique["source"])
    # After a reload, the server-rendered page shows the same reply and its sources.
    page.reload()
    expect(page.locator("#messages li.msg.coach").last).to_contain_text(shown.split()[0])
    expect(page.locator("#messages li.msg.coach details.why")).to_have_count(1)


def test_crisis_message_shows_the_regions_crisis_line(page: Page):
    sign_up(page, new_username("crisis"))
    page.goto("/profile")
    page.select_option("#region", "US")
    page.click("form[action='/profile'] button[type=submit]")
    expect(page.locator("p.ok")).to_have_text("Saved.")
    expect(page.locator("#region")).to_have_value("US")
    page.goto("/chat")
    _, shown = chat_with_js(page, "I'm going to kill myself tonight")
    assert "988" in shown
    # The streamed `done` event carried a crisis safety level, which marks the bubble.
    expect(page.locator("#messages li.msg.coach").last).to_have_class(re.compile(r"\bsafety\b"))
    page.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}$"))
    assert stored_messages(page)[-1]["techniques"] == []


def test_crisis_message_without_a_region_gets_the_international_fallback(page: Page):
    sign_up(page, new_username("intl"))
    _, shown = chat_with_js(page, "I'm going to kill myself tonight")
    expect(page.locator("#messages li.msg.coach").last).to_have_class(re.compile(r"\bsafety\b"))
    assert "988" not in shown
    assert "emergency number" in shown


def test_quick_exit_click_leaves_and_back_does_not_return(page: Page, neutral_url: str):
    sign_up(page, new_username("exit"))
    page.fill("#text", "something private about Sam")
    page.click("#quick-exit")
    page.wait_for_url(neutral_url)
    expect(page.locator("#neutral")).to_contain_text("Weather")
    expect(page).to_have_title("Weather")
    page.go_back()
    page.wait_for_load_state()
    assert "/chat" not in page.url
    assert "something private" not in page.content()


def test_escape_three_times_exits(page: Page, neutral_url: str):
    sign_up(page, new_username("esc"))
    page.goto("/history")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert "/history" in page.url  # two presses are not enough
    page.keyboard.press("Escape")
    page.wait_for_url(neutral_url)
    expect(page.locator("#neutral")).to_be_visible()
    page.go_back()
    page.wait_for_load_state()
    assert "/history" not in page.url


def test_export_downloads_json_with_the_message(page: Page):
    username = new_username("export")
    sign_up(page, username)
    chat_with_js(page, "My partner Robin forgot our anniversary and I feel hurt.")
    page.goto("/privacy")
    with page.expect_download() as info:
        page.click("#export")
    download = info.value
    assert download.suggested_filename == "amante-export.json"
    data = json.loads(download.path().read_text(encoding="utf-8"))
    texts = [m["text"] for c in data["conversations"] for m in c["messages"]]
    assert "My partner Robin forgot our anniversary and I feel hurt." in texts
    assert len(texts) == 2


def test_delete_account_from_the_privacy_page(page: Page):
    username = new_username("delete")
    sign_up(page, username)
    chat_with_js(page, "We argue about chores every weekend.")
    page.goto("/privacy")
    page.fill("#delete-password", "not my password")
    page.click("button.danger")
    expect(page.locator("p.error")).to_contain_text("nothing was deleted")
    page.fill("#delete-password", PASSWORD)
    page.click("button.danger")
    page.wait_for_load_state()
    assert page.context.cookies() == [] or all(
        c["name"] != "amante_session" for c in page.context.cookies()
    )
    page.goto("/chat")
    page.wait_for_url(re.compile(r"/signin$"))
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("p.error")).to_contain_text("wrong username or password")
    assert page.url.endswith("/signin")


def test_second_user_cannot_see_the_first_users_conversation(new_context):
    first = new_context().new_page()
    sign_up(first, new_username("alice"))
    chat_with_js(first, "Private words about my partner Sam.")
    first.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}$"))
    conversation = first.url.rsplit("/", 1)[1]

    second = new_context().new_page()
    sign_up(second, new_username("bob"))
    expect(second.locator("aside.conversations li")).to_have_count(0)
    response = second.goto(f"/chat/{conversation}")
    assert response is not None and response.status == 404
    assert "Sam" not in second.content()
    second.goto("/history")
    expect(second.locator("ul.history li")).to_have_count(0)
    api = second.request.get(f"/api/v1/conversations/{conversation}/messages")
    assert api.status == 404
    # The first user still sees it.
    first.goto(f"/chat/{conversation}")
    expect(first.locator("#messages li.msg.user")).to_contain_text("Sam")


def test_chat_works_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    sign_up(page, new_username("nojs"))
    page.fill("#text", "I feel lonely when my partner works late.")
    page.click("#composer button[type=submit]")
    page.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}"))
    messages = page.locator("#messages li.msg")
    expect(messages).to_have_count(2)
    expect(messages.first).to_contain_text("I feel lonely when my partner works late.")
    expect(messages.last).to_have_class(re.compile(r"\bcoach\b"))
    assert len(messages.last.locator(".text").inner_text().split()) > 5
    # Quick exit is a plain link without JavaScript, and still leads away.
    page.click("#quick-exit")
    expect(page.locator("#neutral")).to_be_visible()


def scrolls_sideways(page: Page) -> list[int] | None:
    """[scrollWidth, clientWidth] when the page is wider than the viewport, else None."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return widths if widths[0] > widths[1] else None


def phone_page(new_context) -> Page:
    context = new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    return context.new_page()


def test_mobile_chat_has_no_horizontal_scroll(new_context):
    page = phone_page(new_context)
    sign_up(page, new_username("phone"))
    chat_with_js(page, "We keep arguing about money and I do not know how to start the talk.")
    page.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}$"))
    for path in (page.url, "/chat"):
        page.goto(path)
        assert scrolls_sideways(page) is None, f"{path} scrolls sideways: {scrolls_sideways(page)}"
    expect(page.locator("#quick-exit")).to_be_in_viewport()
    expect(page.locator("#text")).to_be_visible()


def test_mobile_pages_other_than_chat_have_no_horizontal_scroll(new_context):
    page = phone_page(new_context)
    sign_up(page, new_username("phone"))
    chat_with_js(page, "We keep arguing about money and I do not know how to start the talk.")
    for path in ("/history", "/profile", "/privacy", "/settings", "/tools"):
        page.goto(path)
        assert scrolls_sideways(page) is None, f"{path} scrolls sideways: {scrolls_sideways(page)}"
        expect(page.locator("#quick-exit")).to_be_in_viewport()
