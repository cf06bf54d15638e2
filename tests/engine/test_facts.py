from amante.engine.understand.facts import extract_facts, pronoun_for_role


def facts_of(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in extract_facts(text):
        out.setdefault(f.key, []).append(f.value)
    return out


def test_partner_name_and_role_from_my_role_name():
    found = facts_of("My wife Ana and I keep fighting about chores.")
    assert found["partner_name"] == ["Ana"]
    assert found["partner_role"] == ["wife"]
    assert found["recurring_issue"] == ["chores"]


def test_name_before_role_and_called():
    assert facts_of("Sam, my boyfriend, never texts back.")["partner_name"] == ["Sam"]
    assert facts_of("my partner is called Robin")["partner_name"] == ["Robin"]


def test_capitalised_non_names_are_not_taken_as_names():
    found = facts_of("My husband Never listens. My girlfriend Just left.")
    assert "partner_name" not in found
    assert found["partner_role"] == ["husband", "girlfriend"]


def test_relationship_length_and_stage():
    found = facts_of("We've been married for 12 years and we live together with our kids.")
    assert found["relationship_length"] == ["12 years"]
    assert found["relationship_stage"] == ["married"]
    assert found["children"] == ["kids"]


def test_user_name_and_ex():
    found = facts_of("My name is maya. My ex, Jordan, keeps calling.")
    assert found["user_name"] == ["Maya"]
    assert found["ex_name"] == ["Jordan"]
    assert "partner_name" not in found


def test_evidence_is_quoted_from_text():
    text = "we always argue about money, and it wears me out"
    (fact,) = [f for f in extract_facts(text) if f.key == "recurring_issue"]
    assert fact.value == "money"
    assert fact.evidence in text


def test_plain_text_gives_no_facts():
    assert extract_facts("I feel tired today.") == []


def test_pronoun_for_role():
    assert pronoun_for_role("wife") == "she"
    assert pronoun_for_role("partner") == "they"
    assert pronoun_for_role(None) == "they"
