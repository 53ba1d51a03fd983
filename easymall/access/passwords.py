"""Passwords as salted scrypt hashes (the standard library's ``hashlib.scrypt``), compared in constant time.

A stored hash reads ``scrypt$<n>$<r>$<p>$<salt>$<hash>`` (salt and hash in URL-safe base64), so the
cost can be raised later without invalidating the hashes already stored. A password is never kept
or logged in clear: only :func:`hash_password` ever sees it, and it returns the hash.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

#: scrypt cost (RFC 7914's interactive-login parameters: ~16 MB of memory, tens of ms per check).
N, R, P, DKLEN, SALT_BYTES = 2**14, 8, 1, 32, 16
#: The largest cost a stored hash may ask for (a hand-edited hash cannot make one check take minutes).
MAX_N, MAX_RP = 2**20, 64
_PREFIX = "scrypt"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen,
                          maxmem=128 * r * n + 1024 * 1024 * 2 * r * p + 2**20)


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """The stored form of ``password``: a fresh random salt each time, so equal passwords differ."""
    if not password:
        raise ValueError("a password cannot be empty")
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, N, R, P, DKLEN)
    return "$".join([_PREFIX, str(N), str(R), str(P), _b64(salt), _b64(digest)])


def is_hash(stored: str) -> bool:
    """True when ``stored`` has the shape of a hash :func:`verify_password` can check."""
    return _parse(stored) is not None


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.split("$") if isinstance(stored, str) else []
    if len(parts) != 6 or parts[0] != _PREFIX:
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, digest = _unb64(parts[4]), _unb64(parts[5])
    except ValueError:
        return None
    if not (2 <= n <= MAX_N and n & (n - 1) == 0 and 1 <= r <= MAX_RP and 1 <= p <= MAX_RP) or not salt:
        return None
    if not 16 <= len(digest) <= 64:
        return None
    return n, r, p, salt, digest


#: Checked when a name has no account (or no usable hash), so a wrong name costs the same time as
#: a wrong password and the answer's timing does not tell which names exist.
_DUMMY = hash_password(secrets.token_urlsafe(16))


def verify_password(password: str, stored: str | None) -> bool:
    """True when ``password`` matches ``stored``; the digests are compared with
    :func:`hmac.compare_digest` (constant time). A missing or malformed hash never matches, and is
    checked against a dummy hash first so it takes as long as a real check."""
    parsed = _parse(stored or "")
    real = parsed is not None
    n, r, p, salt, digest = parsed if real else _parse(_DUMMY)  # type: ignore[misc]
    candidate = _scrypt(password or "", salt, n, r, p, len(digest))
    return hmac.compare_digest(candidate, digest) and real and bool(password)
