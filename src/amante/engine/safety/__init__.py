"""Safety first: screen every message, answer flagged ones with reviewed text, guard every reply.

Public API (the coach calls exactly this):
    screen(text, context) -> SafetyResult
    guard(reply, safety=..., mode=..., flags=...) -> GuardResult
    protocol_reply(result, region=..., turn_count=...) -> ProtocolReply
    support_reply(mode=..., region=..., turn_in_mode=..., flags=...) -> ProtocolReply
    disclosure(), regions(), resources_for(region)
"""

from .guard import GuardResult, guard
from .protocol import ProtocolReply, disclosure, protocol_reply, reply_key, support_reply
from .resources import Resource, regions, resources_for
from .screen import ScreenResult, screen, third_party_in, third_party_only

__all__ = [
    "GuardResult",
    "ProtocolReply",
    "Resource",
    "ScreenResult",
    "disclosure",
    "guard",
    "protocol_reply",
    "regions",
    "reply_key",
    "resources_for",
    "screen",
    "support_reply",
    "third_party_in",
    "third_party_only",
]
