"""The access area's errors: a refused action and a refused login, each one sentence with a code
(catalogue ``access.<code>``)."""
from __future__ import annotations

from datetime import datetime

from easymall.core.errors import CodedError


class AccessDenied(CodedError, PermissionError):
    """``who`` may not do ``action`` in this workspace (a :class:`PermissionError`: callers that
    only know the standard exception catch it as that)."""

    def __init__(self, who: str, action: str, role: str | None):
        self.who, self.action, self.role = who, action, role
        whom = repr(who) if who else "someone who is not logged in"
        if role is None:
            sentence = f"{whom} has no access to this workspace, so cannot {action}"
        else:
            sentence = f"{whom} is a {role} here, so cannot {action}"
        super().__init__(sentence, code="err.denied_unknown" if role is None else "err.denied",
                         who=who, action=action, role=role or "")


class LoginError(CodedError):
    """A refused login: ``err.wrong`` (name or password wrong; ``left`` tries before the lock) or
    ``err.locked`` (``until``: when the lock lifts) or ``err.broken`` (access.yaml cannot be read)."""

    def __init__(self, code: str, *, left: int = 0, until: datetime | None = None, minutes: int = 0):
        self.left, self.until, self.minutes = left, until, minutes
        at = until.strftime("%H:%M UTC") if until is not None else ""
        if code == "err.locked":
            sentence = f"Too many wrong passwords: this account is locked until {at}; try again after that"
        elif code == "err.broken":
            sentence = "The access settings of this workspace cannot be read, so nobody can log in; ask the administrator"
        else:
            sentence = (f"The user name or the password is wrong ({left} more wrong tries lock the account "
                        f"for {minutes} minutes)")
        super().__init__(sentence, code=code, left=left, until=at, minutes=minutes)
