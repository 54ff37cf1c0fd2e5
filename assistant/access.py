"""Who the app serves: one person on this machine, or signed-in users each with their own conversations.

    refusal = serving_refusal(address, sign_in=False, open_to_everyone=False)   # None: serve
    owner = owner_of(st.user)                                                     # "ann@example.com"

Locally (the default, bound to 127.0.0.1) there is one user, LOCAL. Served on another address, the
app needs sign-in (Streamlit's `st.login`, with an OIDC provider set in `.streamlit/secrets.toml`
under [auth]) or the operator's explicit HANDRAIL_OPEN_TO_EVERYONE=true; otherwise it refuses to
serve, since every visitor would share one set of conversations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assistant.store import LOCAL

LOCAL_ADDRESSES = {"127.0.0.1", "localhost", "::1"}


def serving_refusal(address: str | None, sign_in: bool, open_to_everyone: bool) -> str | None:
    """Why the app must not serve on this address as configured, or None when it may."""
    if sign_in or open_to_everyone or (address or "").strip("[]") in LOCAL_ADDRESSES:
        return None
    return (
        f"Handrail is served on {address or 'every address'} without sign-in: set up sign-in under [auth] in "
        ".streamlit/secrets.toml, or set HANDRAIL_OPEN_TO_EVERYONE=true to share one set of conversations."
    )


def owner_of(user: Mapping[str, Any]) -> str | None:
    """The signed-in user's stable identity (the provider's e-mail, else its subject id), or None."""
    if not user.get("is_logged_in"):
        return None
    return str(user.get("email") or user.get("sub") or "") or None


__all__ = ["LOCAL", "owner_of", "serving_refusal"]
