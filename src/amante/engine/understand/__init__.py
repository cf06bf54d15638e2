"""The understand step: emotions, topics, Four Horsemen, repair, intent, needs and facts."""

from __future__ import annotations

from amante.engine.types import Analysis

__all__ = ["analyze"]


def analyze(text: str) -> Analysis:
    """Everything the coach reads in one message (no I/O beyond the packaged models).

    The analyzers are imported here, not at module import, so tools that need only one of them
    (the fact extractor, say) do not load the models.
    """
    from amante.engine.understand.emotions import predict_emotions
    from amante.engine.understand.facts import extract_facts
    from amante.engine.understand.horsemen import detect_horsemen, detect_repairs
    from amante.engine.understand.intent import detect_intent, detect_needs
    from amante.engine.understand.topics import predict_topics

    return Analysis(
        emotions=predict_emotions(text),
        topics=predict_topics(text),
        horsemen=detect_horsemen(text),
        repairs=detect_repairs(text),
        intent=detect_intent(text),
        needs=detect_needs(text),
        facts=extract_facts(text),
    )
