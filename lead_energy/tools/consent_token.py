"""The signed links of the opt-in: who is asked, what for, in which database,
until when, signed with the database secret (Odoo's HMAC helper).

A token is ``<payload>.<signature>``: the payload is the URL-safe base64 of a
small JSON object, the signature its HMAC-SHA256 in hex. Nothing in it is
secret; it cannot be changed without the database secret.
"""

import base64
import binascii
import calendar
import json
import time

from odoo.tools import consteq
from odoo.tools.misc import hmac

SCOPE = "lead_energy.consent"
# What a link may do: answer a request (confirm or decline), or withdraw.
ACTIONS = ("answer", "withdraw")


class TokenError(Exception):
    """Why a link is refused: ``reason`` is "invalid", "database" or "expired"."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def sign(env, request_token, action, expires=None):
    """The link token for the consent request ``request_token``; ``expires``
    (a naive UTC datetime) is when it stops working, None for never."""
    if action not in ACTIONS:
        raise ValueError(f"unknown consent link action {action!r}")
    payload = json.dumps(
        {
            "r": request_token,
            "a": action,
            "d": env.cr.dbname,
            "e": calendar.timegm(expires.utctimetuple()) if expires else 0,
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    encoded = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"{encoded}.{_signature(env, encoded)}"


def verify(env, token, action):
    """The request token a link stands for, or TokenError: a changed or
    garbled link is "invalid", one of another database "database", an old
    one "expired" (said only once the signature holds)."""
    encoded, _dot, signature = (token or "").partition(".")
    try:
        values = json.loads(
            base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        )
    except (binascii.Error, ValueError) as error:
        raise TokenError("invalid") from error
    if not isinstance(values, dict):
        raise TokenError("invalid")
    if values.get("d") != env.cr.dbname:
        raise TokenError("database")
    if not consteq(signature, _signature(env, encoded)) or values.get("a") != action:
        raise TokenError("invalid")
    expires = values.get("e")
    if expires and time.time() >= expires:
        raise TokenError("expired")
    return values.get("r")


def _signature(env, encoded):
    return hmac(env(su=True), SCOPE, encoded)
