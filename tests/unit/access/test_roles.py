"""Roles, the access.yaml model and who may do what."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from easymall.access import ACTIONS, AccessDocument, allows, hash_password


@pytest.mark.parametrize(("role", "may"), [
    ("viewer", {"view", "present"}),
    ("editor", {"view", "present", "edit", "upload"}),
    ("admin", set(ACTIONS)),
    (None, set()),
    ("root", set()),
])
def test_what_each_role_may_do(role: str | None, may: set[str]) -> None:
    assert {a for a in ACTIONS if allows(role, a)} == may
    assert not allows("admin", "launch missiles")  # an action nobody listed is refused


def test_access_yaml_model_forbids_unknown_keys_and_checks_users() -> None:
    with pytest.raises(ValidationError):
        AccessDocument.model_validate({"mode": "accounts", "secret": 1})
    with pytest.raises(ValidationError):
        AccessDocument.model_validate({"mode": "sometimes"})
    with pytest.raises(ValidationError, match="duplicate user"):
        AccessDocument.model_validate({"users": [{"name": "Li", "role": "admin"}, {"name": "li"}]})
    with pytest.raises(ValidationError, match="not a scrypt hash"):
        AccessDocument.model_validate({"users": [{"name": "li", "password": "hunter2"}]})
    with pytest.raises(ValidationError, match="user name"):
        AccessDocument.model_validate({"users": [{"name": "<b>li</b>"}]})
    with pytest.raises(ValidationError, match="needs a name"):
        AccessDocument.model_validate({"users": [{"role": "admin"}]})
    assert AccessDocument().mode == "open" and not AccessDocument().enforced


def test_role_of_in_each_mode() -> None:
    users = [{"name": "li", "role": "admin", "password": hash_password("x")}, {"email": "Wang@Bank.example", "role": "editor"}]
    accounts = AccessDocument.model_validate({"mode": "accounts", "users": users})
    assert accounts.role_of(" LI ") == "admin" and accounts.role_of("wang@bank.example") is None
    assert accounts.role_of("") is None
    oidc = AccessDocument.model_validate({"mode": "oidc", "users": users})
    assert oidc.role_of("wang@bank.example") == "editor" and oidc.role_of("zhao@bank.example") is None
    lenient = oidc.model_copy(update={"unknown_email": "viewer"})
    assert lenient.role_of("zhao@bank.example") == "viewer" and lenient.role_of("") is None
    assert AccessDocument().role_of("") == "admin"  # open mode: everyone edits, as before
