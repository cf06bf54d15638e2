"""Coaching tools: assessments, rituals, conversation starters, journal and the rewriter.

Each tool is a module of plain functions taking a SQLAlchemy Session and a user id (the
rewriter needs neither) and returning dataclasses; bad input raises a ToolError subclass
(see `amante.tools.errors`) before anything is written. `export_tools` and `delete_tools`
cover every tool table for `amante export` and forget.
"""

from __future__ import annotations

from amante.tools.data import delete_tools, export_tools
from amante.tools.errors import ToolError

__all__ = ["ToolError", "delete_tools", "export_tools"]
