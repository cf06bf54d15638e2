"""ASGI entry point for uvicorn/gunicorn workers: `amante.web.asgi:app`."""

import threading

from amante.engine.safety.patterns import compile_all
from amante.web.app import create_app

app = create_app()
# The safety rules compile on first use; a worker compiles them all in the background as it
# starts, so no user's first message waits for it.
threading.Thread(target=compile_all, name="amante-rule-warmup", daemon=True).start()
