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
from amante.web.api.schemas import ErrorOut

# Every operation may answer 413 (body over AMANTE_MAX_BODY_BYTES) from the size-limit middleware.
router = APIRouter(prefix="/api/v1", responses={413: {"model": ErrorOut}})
for module in (
    auth,
    conversations,
    me,
    privacy,
    tokens,
    assessments,
    rituals,
    starters,
    journal,
    rewrite,
    partner,
    daily_question,
    shared_rituals,
    appreciations,
):
    router.include_router(module.router)
