"""Who may change the articles: the one owner of that policy, for the chat and the API.

Reading (asking, searching, stats) is open to everyone. Changing the articles
(upload, replace, delete, re-index, rebuild) needs an admin:

* where an admin token is configured (``RETRIEVAL_ADMIN_TOKEN`` in the environment,
  or ``admin_token`` in ``.streamlit/secrets.toml``), whoever presents it: the API's
  ``Authorization: Bearer <token>``, the chat's admin box; in the chat, also a user
  signed in with Streamlit's ``st.login`` whose e-mail is listed under
  ``[admin] emails`` in the secrets;
* where none is configured, everyone, but only while the server is bound to a
  loopback address (one person on their own machine). Bound to anything else, changes
  are refused, and the refusal says why and how to allow them.
"""
from __future__ import annotations

import hmac
import ipaddress
import os
from dataclasses import dataclass
from typing import Mapping

TOKEN_ENV = "RETRIEVAL_ADMIN_TOKEN"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""  # why not, and what to do, in one line


@dataclass(frozen=True)
class Access:
    token: str  # the admin token; "" when none is configured
    host: str  # the address the server is bound to
    admin_emails: frozenset[str] = frozenset()

    @classmethod
    def configure(cls, host: str, env: Mapping[str, str] | None = None,
                  secrets: Mapping | None = None) -> "Access":
        """From the environment first, then the Streamlit secrets (read at the edge)."""
        env = os.environ if env is None else env
        secrets = secrets or {}
        token = env.get(TOKEN_ENV) or str(secrets.get("admin_token", "") or "")
        admin = secrets.get("admin", {}) or {}
        emails = frozenset(str(e).lower() for e in (admin.get("emails", []) if hasattr(admin, "get") else []))
        return cls(token.strip(), host or "", emails)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def may_change(self, token: str | None = None, email: str | None = None) -> Decision:
        if self.token:
            if token and hmac.compare_digest(token.encode(), self.token.encode()):
                return Decision(True)
            if email and email.lower() in self.admin_emails:
                return Decision(True)
            return Decision(False, "Changing the articles needs the admin token; send it as "
                                   "`Authorization: Bearer <token>` (the chat: enter it under Admin).")
        if self.loopback:
            return Decision(True)
        return Decision(False, f"The articles are read-only: the server listens on {self.host}, not a loopback "
                               f"address, and no admin is configured; set {TOKEN_ENV} to allow changes.")


def is_loopback(host: str) -> bool:
    name = (host or "").strip().strip("[]").lower()
    if name in ("localhost", ""):
        return name == "localhost"
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
