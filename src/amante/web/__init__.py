"""The web app: JSON API under /api/v1 and server-rendered pages, both thin over the service."""
