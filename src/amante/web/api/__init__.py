"""The JSON API under /api/v1."""

from fastapi import APIRouter

from amante.web.api import (
    assessments,
    auth,
    conversations,
    journal,
    me,
    privacy,
    rewrite,
    rituals,
    starters,
    tokens,
)

router = APIRouter(prefix="/api/v1")
for module in (
    auth, conversations, me, privacy, tokens, assessments, rituals, starters, journal, rewrite
):
    router.include_router(module.router)
