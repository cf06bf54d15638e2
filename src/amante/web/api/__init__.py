"""The JSON API under /api/v1."""

from fastapi import APIRouter

from amante.web.api import (
    appreciations,
    assessments,
    auth,
    conversations,
    daily_question,
    journal,
    me,
    partner,
    privacy,
    rewrite,
    rituals,
    shared_rituals,
    starters,
    tokens,
)

router = APIRouter(prefix="/api/v1")
for module in (
    auth, conversations, me, privacy, tokens, assessments, rituals, starters, journal, rewrite,
    partner, daily_question, shared_rituals, appreciations,
):
    router.include_router(module.router)
