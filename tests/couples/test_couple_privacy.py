"""Privacy and safety rules: nothing private crosses between partners, through any view or
through the coach (its Conversation, its prompt, its reply); safety flags change only the
flagged user's experience and are never visible to the partner; account deletion."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from couple_helpers import NOW, link, make_users
from sqlalchemy import func, or_, select

from amante.couples import appreciations, daily, links, privacy, shared_rituals
from amante.engine.coach import Coach
from amante.engine.prompts import build_messages
from amante.engine.speak import SpeakRequest
from amante.engine.types import Fact, Profile
from amante.service import CoachService
from amante.store import accounts
from amante.store import repository as repo
from amante.store.couple_models import (
    Appreciation,
    CoupleInvite,
    CoupleMember,
    DailyAnswer,
    DailyReaction,
    SharedRitualCheckin,
    SharedRitualPlan,
)
from amante.store.tool_models import AssessmentResult, JournalEntryRow
from amante.tools import rituals

SECRETS = {
    "chat": "PLUMTREE",
    "journal": "QUINCEJAR",
    "assessment": "MEDLARBOX",
    "fact": "LOQUATHILL",
    "profile": "DAMSONROAD",
    "ritual_note": "SLOEBERRY",
    "answer": "ROWANLEAF",
}
ABUSE = "He checks my phone every night and won't let me see my friends or have my own money."
JOINT_ASK = "Can you suggest a ritual for us? We have drifted apart."


class CaptureBackend:
    """A backend that repeats the composer's draft and keeps every request it was given."""

    name = "capture"

    def __init__(self) -> None:
        self.requests: list[SpeakRequest] = []

    def stream(self, request: SpeakRequest) -> Iterator[str]:
        self.requests.append(request)
        yield request.draft


def prompt_text(request: SpeakRequest) -> str:
    messages = build_messages(request, context_tokens=32000, max_tokens=400)
    return "\n".join(m["content"] for m in messages)


def plant_private_data(db, user_id: str) -> None:
    """Everything private a user can have: chat, journal, assessment, facts, profile, plan."""
    CoachService(db, Coach(), user_id=user_id).reply(
        f"My partner forgot our anniversary again and I feel hurt. Code word {SECRETS['chat']}.")
    with db.session() as s:
        s.add(JournalEntryRow(id=str(uuid.uuid4()), user_id=user_id,
                              text=f"Dear journal, {SECRETS['journal']}", mood=None,
                              emotions=[], suggested=[]))
        s.add(AssessmentResult(user_id=user_id, assessment_id="csi-4",
                               answers={"note": SECRETS["assessment"]},
                               result={"score": 1, "note": SECRETS["assessment"]}))
        repo.add_facts(s, user_id, [Fact("recurring_issue", SECRETS["fact"])])
        repo.save_profile(s, user_id, Profile(context=SECRETS["profile"]))
        rituals.plan_ritual(s, user_id, "weekly-date", timezone="UTC",
                            note=SECRETS["ritual_note"], now=NOW)


def everything_b_can_see(db, b: str) -> str:
    """Every couple view of the partner, and the coach's view, as one string."""
    with db.session() as s:
        parts: list[object] = [
            links.status(s, b).to_dict(), daily.today(s, b).to_dict(),
            [d.to_dict() for d in daily.history(s, b)],
            [p.to_dict() for p in shared_rituals.list_plans(s, b, include_stopped=True)],
            [r.to_dict() for r in appreciations.list_received(s, b)],
            privacy.shared_context(s, b), privacy.export_user_data(s, b),
            rituals.calendar_feed(s, b, now=NOW).decode(),  # DTSTAMP is the feed's clock
        ]
    return repr(parts)


def b_coach_view(db, b: str, text: str = "We feel distant lately. What could help us?"):
    """B's Conversation as the coach gets it, the LLM prompt and the reply."""
    service = CoachService(db, Coach(backend=CaptureBackend()), user_id=b)
    conversation = service.load(None)
    with db.session() as s:
        prepared = privacy.prepare_conversation(s, b, conversation)
    backend = service.coach.backend
    turn = service.coach.respond(prepared, text)
    prompts = [prompt_text(r) for r in backend.requests]
    return prepared, prompts, turn


@pytest.fixture()
def couple(db):
    a, b = make_users(db, "ana", "ben")
    link(db, a, b)
    return db, a, b


def test_no_private_data_of_one_partner_reaches_the_other(couple):
    db, a, b = couple
    plant_private_data(db, a)
    with db.session() as s:
        daily.answer(s, a, f"My answer is {SECRETS['answer']}", now=None)
        shared_rituals.plan_ritual(s, a, "nightly-gratitude")
        appreciations.send(s, a, "Thank you for the tea")
    # Sanity: Ana's own coach does know her private things (so the checks below can fail).
    service_a = CoachService(db, Coach(), user_id=a)
    own = repr(service_a.load(service_a.latest_conversation()))
    assert SECRETS["chat"] in own and SECRETS["fact"] in own and SECRETS["profile"] in own

    seen = everything_b_can_see(db, b)
    prepared, prompts, turn = b_coach_view(db, b)
    assert prompts, "the capture backend must have been asked to speak"
    for name, secret in SECRETS.items():
        assert secret not in seen, f"{name} leaked into the partner's views"
        assert secret not in repr(prepared), f"{name} leaked into the partner's Conversation"
        assert all(secret not in p for p in prompts), f"{name} leaked into the prompt"
        assert secret not in turn.reply, f"{name} leaked into the partner's reply"
    assert "Thank you for the tea" in seen  # what was sent to Ben does reach him
    # The coach knows the shared things: the link and the ritual planned together.
    facts = {f.key: f.value for f in prepared.facts}
    assert "couple_mode" in facts and "Nightly gratitude" in facts["shared_ritual"]
    assert any("Nightly gratitude" in p for p in prompts)


def test_the_coach_sees_a_daily_answer_only_after_the_reveal(couple):
    db, a, b = couple
    with db.session() as s:
        daily.answer(s, a, f"I loved {SECRETS['answer']} day")
    prepared, prompts, _ = b_coach_view(db, b)
    assert SECRETS["answer"] not in repr(prepared) + "".join(prompts)
    with db.session() as s:
        daily.answer(s, b, "Mine was the beach")
    prepared, prompts, _ = b_coach_view(db, b)
    assert SECRETS["answer"] in repr(prepared.facts) and any(SECRETS["answer"] in p
                                                             for p in prompts)
    with db.session() as s:  # and no longer after an unlink
        links.unlink(s, a)
    prepared, prompts, _ = b_coach_view(db, b)
    assert SECRETS["answer"] not in repr(prepared) + "".join(prompts)
    assert not any(f.key.startswith(("couple", "shared", "daily")) for f in prepared.facts)


def test_shared_facts_are_read_not_stored(couple):
    db, a, b = couple
    with db.session() as s:
        shared_rituals.plan_ritual(s, a, "nightly-gratitude")
    b_coach_view(db, b)
    with db.session() as s:
        keys = [f.key for f in repo.list_facts(s, b)]
    assert not any(k in ("couple_mode", "shared_ritual", "daily_question") for k in keys)


def flag(db, user_id: str) -> None:
    CoachService(db, Coach(), user_id=user_id).reply(ABUSE)


def test_a_disclosure_flags_only_that_user(lite):
    a, b = make_users(lite, "ana", "ben")
    link(lite, a, b)
    flag(lite, a)
    with lite.session() as s:
        assert privacy.safety_flagged(s, a)
        assert not privacy.safety_flagged(s, b)


def test_a_flagged_user_gets_no_joint_suggestions_and_no_nudges(lite):
    a, b, c = make_users(lite, "ana", "ben", "cy")
    link(lite, a, b)
    # Baseline: an unflagged user asking the same gets a ritual and a joint exercise.
    base = CoachService(lite, Coach(), user_id=c).reply(JOINT_ASK)
    assert base.plan.suggest_tool == "rituals" and base.techniques
    flag(lite, a)
    service = CoachService(lite, Coach(), user_id=a)
    prepared = service.load(None)  # load() applies the couple rules to a new conversation
    with lite.session() as s:
        with_shared = privacy.shared_context(s, a)
    assert "abuse" in prepared.state.flags
    assert not with_shared.joint_ok and with_shared.rituals == [] and with_shared.revealed == []
    turn = service.coach.respond(prepared, JOINT_ASK)
    assert "Small rituals" not in turn.reply and "Tools (or `amante rituals`)" not in turn.reply
    assert not any(t.id.startswith(("aron-", "rituals-")) for t in turn.techniques)
    assert [f.key for f in prepared.facts if f.key in ("shared_ritual", "daily_question")] == []


def test_partner_views_are_identical_whether_or_not_the_other_is_flagged(lite):
    a, b = make_users(lite, "ana", "ben")
    link(lite, a, b)
    with lite.session() as s:
        shared_rituals.plan_ritual(s, a, "nightly-gratitude", now=NOW)
        daily.answer(s, a, "first answer", now=NOW)
        appreciations.send(s, a, "thanks", now=NOW)
    before = everything_b_can_see(lite, b)
    before_view, _, _ = b_coach_view(lite, b)
    flag(lite, a)
    after = everything_b_can_see(lite, b)
    after_view, _, _ = b_coach_view(lite, b)
    strip = lambda text: text.replace(str(NOW.year), "")  # noqa: E731
    assert strip(after) == strip(before)
    assert after_view.facts == before_view.facts
    assert after_view.state.flags == before_view.state.flags == []
    for word in ("abuse", "coercive", "safety", "flag"):
        assert word not in after.lower()


def test_linking_never_reveals_a_flag(lite):
    a, b = make_users(lite, "ana", "ben")
    flag(lite, a)  # flagged before linking
    with lite.session() as s:
        code = links.create_invite(s, a).code
    with lite.session() as s:
        links.accept_invite(s, b, code)
        seen = repr(links.status(s, b).to_dict())
    assert "abuse" not in seen.lower() and "safety" not in seen.lower()


def couple_rows(db, user_id: str) -> int:
    with db.session() as s:
        total = 0
        for model, column in ((DailyAnswer, DailyAnswer.user_id),
                              (DailyReaction, DailyReaction.user_id),
                              (SharedRitualPlan, SharedRitualPlan.user_id),
                              (SharedRitualCheckin, SharedRitualCheckin.user_id),
                              (CoupleInvite, CoupleInvite.user_id),
                              (CoupleMember, CoupleMember.user_id)):
            total += s.scalar(select(func.count()).select_from(model).where(column == user_id))
        total += s.scalar(select(func.count()).select_from(Appreciation).where(
            or_(Appreciation.user_id == user_id, Appreciation.recipient_id == user_id)))
        return total


def test_account_deletion_removes_couple_data_and_unlinks(couple):
    db, a, b = couple
    with db.session() as s:
        shared_rituals.plan_ritual(s, a, "nightly-gratitude", now=NOW)
        shared_rituals.check_off(s, a, "nightly-gratitude", now=NOW)
        daily.answer(s, a, "ana's words", now=NOW)
        daily.answer(s, b, "ben's words", now=NOW)
        daily.react(s, a, NOW.date(), reply="sweet", now=NOW)
        appreciations.send(s, a, "from ana", now=NOW)
        appreciations.send(s, b, "from ben", now=NOW)
    assert couple_rows(db, a) > 0
    with db.session() as s:
        counts = privacy.delete_user_data(s, a)
        accounts.delete_user(s, a)
    assert counts["links_ended"] == 1 and counts["daily_answers"] == 1
    assert couple_rows(db, a) == 0
    with db.session() as s:
        assert not links.status(s, b).linked
        mine = privacy.export_user_data(s, b)
    assert [x["text"] for x in mine["daily_answers"]] == ["ben's words"]  # Ben keeps his own
    assert "ana's words" not in repr(mine) and "sweet" not in repr(mine)



def test_flagged_text_is_never_shared_with_the_partner(couple):
    """A daily answer or appreciation that the screen flags is held back, privately."""
    from amante.couples.errors import HeldForSafety

    db, a, b = couple
    for send in (
        lambda s: daily.answer(s, a, "He choked me last night and I'm scared to go home."),
        lambda s: appreciations.send(s, a, "I will kill you if you leave me, I have a knife."),
    ):
        with pytest.raises(HeldForSafety) as caught, db.session() as s:
            send(s)
        assert "not shared with your partner" in str(caught.value)
    with db.session() as s:
        assert daily.today(s, b).partner_answered is False
        assert appreciations.list_received(s, b) == []
