"""``config/access.yaml``: who may do what in a workspace. Never served to a browser, never shown on
a page, never a document with history (it is not in :data:`easymall.models.DOCUMENTS`)::

    mode: accounts            # open (default: everyone edits) | accounts | oidc
    unknown_email: refuse     # oidc: an e-mail not listed is refused, or is a viewer
    max_failures: 5           # accounts: wrong passwords in a row before the account locks ...
    lockout_minutes: 15       # ... for this long
    users:
      - {name: li, role: admin, password: "scrypt$16384$8$1$..."}   # accounts: `easymall user add`
      - {email: wang@bank.example, role: editor}                    # oidc
"""
from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from easymall.access.passwords import is_hash
from easymall.access.roles import Role
from easymall.models.common import StrictModel, invalid, require_unique

Mode = Literal["open", "accounts", "oidc"]
MODES: tuple[Mode, ...] = ("open", "accounts", "oidc")

_NAME = re.compile(r"^[^\s$:/\\<>&\"'`]{1,60}$")
_EMAIL = re.compile(r"^[^\s@<>\"'`]{1,64}@[^\s@<>\"'`]{1,190}$")


def _name(value: str) -> str:
    if not _NAME.match(value):
        raise invalid("access_bad_name", "a user name has 1 to 60 characters, without spaces or any of $ : / \\ < > & \" ' `")
    return value


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise invalid("access_bad_email", "{value} is not an e-mail address", value=value[:80])
    return value


#: An account name: what a person types in the login form and what history records.
Name = Annotated[str, AfterValidator(_name)]
Email = Annotated[str, AfterValidator(_email)]


class AccessUser(StrictModel):
    name: Name | None = None
    email: Email | None = None
    role: Role = "viewer"
    password: str = Field("", repr=False)  # the scrypt hash (passwords.hash_password), never the password

    @model_validator(mode="after")
    def _check(self) -> AccessUser:
        if not (self.name or self.email):
            raise invalid("access_user_needs_name", "each user needs a name (accounts) or an email (oidc)")
        if self.password and not is_hash(self.password):
            raise invalid("access_bad_hash", "the password of {who} is not a scrypt hash (set it with easymall user add)",
                          who=self.name or self.email)
        return self


class AccessDocument(StrictModel):
    mode: Mode = "open"
    unknown_email: Literal["refuse", "viewer"] = "refuse"
    max_failures: int = Field(5, ge=1, le=100)
    lockout_minutes: int = Field(15, ge=1, le=24 * 60)
    users: list[AccessUser] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> AccessDocument:
        require_unique([u.name.casefold() for u in self.users if u.name], "user name", "access_duplicate_user")
        require_unique([u.email.casefold() for u in self.users if u.email], "user email", "access_duplicate_user")
        return self

    @property
    def enforced(self) -> bool:
        """True when roles are checked (accounts, oidc); open mode lets everyone edit, as before."""
        return self.mode != "open"

    def account(self, name: str) -> AccessUser | None:
        """The account called ``name`` (accounts mode), ignoring case and outer spaces."""
        k = (name or "").strip().casefold()
        return next((u for u in self.users if u.name and u.name.casefold() == k), None) if k else None

    def by_email(self, email: str) -> AccessUser | None:
        k = (email or "").strip().casefold()
        return next((u for u in self.users if u.email and u.email.casefold() == k), None) if k else None

    def role_of(self, who: str) -> Role | None:
        """The role of ``who`` (an account name in accounts mode, an e-mail in oidc mode): None for
        an unknown person (a viewer instead in oidc mode when ``unknown_email: viewer``). Open mode:
        everyone is an admin (today's behaviour: anyone who reaches the app edits)."""
        if self.mode == "open":
            return "admin"
        if self.mode == "accounts":
            user = self.account(who)
            return user.role if user is not None else None
        user = self.by_email(who)
        if user is not None:
            return user.role
        return "viewer" if self.unknown_email == "viewer" and (who or "").strip() else None
