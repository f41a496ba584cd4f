"""Credentials: password hashing, API and session tokens, CSRF tokens.

Passwords are hashed with Argon2id. API and session tokens are random, shown once, and
stored only as their SHA-256 digest, so a copy of the database yields no usable token.
CSRF tokens are a random value in a signed cookie that every form must echo back.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeSerializer

TOKEN_PREFIX = "coa_"  # noqa: S105 - a public prefix that marks tokens, not a secret
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024

_hasher = PasswordHasher()

# Verifying against this when the user does not exist makes an unknown name take as
# long as a wrong password, so sign-in timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token() -> tuple[str, str]:
    """A fresh token and the digest to store: ``(token, digest)``."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class CsrfSigner:
    """Signs the CSRF cookie with the instance secret and checks a form's echo of it."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt="coalition-csrf")

    def issue(self) -> tuple[str, str]:
        """A new ``(cookie_value, form_token)`` pair."""
        raw = secrets.token_urlsafe(24)
        return self._serializer.dumps(raw), raw

    def form_token(self, cookie_value: str | None) -> str | None:
        """The token a form must carry for this cookie, or ``None`` if the cookie is forged."""
        if not cookie_value:
            return None
        try:
            raw = self._serializer.loads(cookie_value)
        except BadSignature:
            return None
        return raw if isinstance(raw, str) else None

    def check(self, cookie_value: str | None, submitted: str | None) -> bool:
        expected = self.form_token(cookie_value)
        return bool(expected and submitted) and hmac.compare_digest(str(expected), str(submitted))
