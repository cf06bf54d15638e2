"""ASGI entry point for uvicorn/gunicorn workers: `amante.web.asgi:app`."""

from amante.web.app import create_app

app = create_app()
