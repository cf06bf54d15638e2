"""The JSON API under /api/v1."""

from fastapi import APIRouter

from amante.web.api import auth, conversations, me, privacy, tokens

router = APIRouter(prefix="/api/v1")
for module in (auth, conversations, me, privacy, tokens):
    router.include_router(module.router)
