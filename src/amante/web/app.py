"""Build the FastAPI app: one per process, stateless apart from the database it points to."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from amante import __version__
from amante.config import Settings, get_settings, resolve_secret_key
from amante.engine.coach import Coach
from amante.service import make_coach, open_database
from amante.web import errors, pages, pages_partner, pages_tools
from amante.web.api import chat_completions
from amante.web.api import router as api_router
from amante.web.middleware import BodySizeLimit, SecurityHeaders

HERE = Path(__file__).resolve().parent


def create_app(settings: Settings | None = None, coach: Coach | None = None) -> FastAPI:
    """The web app for `settings`; refuses unsafe settings before serving anything."""
    settings = settings or get_settings()
    secret = resolve_secret_key(settings)
    app = FastAPI(
        title="amante",
        version=__version__,
        description=(
            "A self-hosted AI relationship coach (a coach, not a therapist). Authenticate with "
            "the session cookie from /api/v1/auth/signin (send X-CSRF-Token on unsafe requests) "
            "or with a personal API token as 'Authorization: Bearer <token>'."
        ),
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.secret = secret
    app.state.db = open_database(settings)
    app.state.coach = coach or make_coach(settings)
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    errors.install(app)
    app.include_router(api_router)
    app.include_router(chat_completions.router)
    app.include_router(pages.router)
    app.include_router(pages_tools.router)
    app.include_router(pages_partner.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app
