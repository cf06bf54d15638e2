"""Couple mode: link with a partner, a daily question with mutual reveal, shared rituals,
appreciations, and the privacy rules that keep each partner's coaching private.

Modules: `links` (invites, accept, unlink, status), `daily` (the daily question),
`shared_rituals`, `appreciations`, `privacy` (what may cross between partners, the coach's
narrow view, safety rules, account deletion and export). Every function takes a Session and
the caller's user id and raises a `CoupleError` (a ToolError with a stable `code`) on bad
input, before anything is written.
"""

from __future__ import annotations

from amante.couples.errors import CoupleError, NotLinked

__all__ = ["CoupleError", "NotLinked"]
