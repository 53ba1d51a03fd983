"""Salted scrypt hashes and their constant-time check."""
from __future__ import annotations

import hmac

import pytest

from easymall.access import passwords
from easymall.access.passwords import hash_password, is_hash, verify_password


def test_hash_is_salted_scrypt_and_never_the_password() -> None:
    a, b = hash_password("correct horse"), hash_password("correct horse")
    assert a != b  # a fresh salt each time
    assert a.startswith("scrypt$16384$8$1$") and "correct horse" not in a
    assert verify_password("correct horse", a) and verify_password("correct horse", b)
    assert not verify_password("correct horsE", a)
    assert not verify_password("", a)


def test_same_salt_same_hash_and_unicode_passwords() -> None:
    salt = b"0123456789abcdef"
    assert hash_password("密码🔑", salt=salt) == hash_password("密码🔑", salt=salt)
    assert verify_password("密码🔑", hash_password("密码🔑"))


@pytest.mark.parametrize("stored", [None, "", "plain-text-password", "scrypt$16384$8$1$$", "md5$x$y$z$a$b",
                                    "scrypt$3$8$1$c2FsdA$" + "A" * 43,  # n not a power of two
                                    "scrypt$1073741824$8$1$c2FsdHNhbHQ$" + "A" * 43])  # cost too high
def test_malformed_or_missing_hash_never_matches(stored: str | None) -> None:
    assert not verify_password("plain-text-password", stored)
    if stored:
        assert not is_hash(stored)


def test_empty_password_cannot_be_hashed() -> None:
    with pytest.raises(ValueError):
        hash_password("")


def test_digests_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(passwords.hmac, "compare_digest", spy)
    stored = hash_password("pw")
    assert verify_password("pw", stored) and not verify_password("px", stored)
    assert not verify_password("pw", None)  # an unknown user is checked against the dummy hash, the same way
    assert len(calls) == 3 and all(len(a) == len(b) == 32 for a, b in calls)
