"""Organiser passwords: argon2 hashing, the password policy and one-time passwords."""

from __future__ import annotations

import enum
import re
import secrets
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256
MIN_DISTINCT_CHARACTERS = 5
COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"

# RFC 9106's second recommended profile: argon2id, 64 MiB, 3 passes, 4 lanes (memory-hard).
# Tests may swap it for a cheaper one; the functions below read it at call time.
HASHER = PasswordHasher()

# Readable one-time passwords: no 0/o, 1/l/i, so they can be read out or copied by hand.
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"
_GROUPS, _GROUP_LENGTH = 5, 4


def N_(message: str) -> str:
    return message


class Weakness(enum.Enum):
    """Why a password is refused; the value is its English message (a gettext msgid)."""

    TOO_SHORT = N_("Use at least %(min)d characters; a few unrelated words make a good password.")
    TOO_LONG = N_("Use at most %(max)d characters.")
    COMMON = N_("This password is too common: it is among the first ones an attacker tries.")
    REPETITIVE = N_("This password repeats too few different characters.")
    CONTAINS_EMAIL = N_("The password must not contain your e-mail address or its parts.")

    def describe(self) -> str:
        """The English message, with the limits filled in."""
        return self.value % {"min": MIN_LENGTH, "max": MAX_LENGTH}


def hash_password(password: str) -> str:
    """Hash ``password`` with the current argon2 parameters."""
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_nobody(password: str) -> None:
    """Spend the time a real check takes, so that an unknown e-mail answers no faster."""
    verify_password(_dummy_hash(_parameters()), password)


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than the current ones."""
    try:
        return HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def weakness(password: str, email: str = "") -> Weakness | None:
    """What is wrong with ``password`` for the account ``email``, or None if it may be used."""
    if len(password) < MIN_LENGTH:
        return Weakness.TOO_SHORT
    if len(password) > MAX_LENGTH:
        return Weakness.TOO_LONG
    lowered = password.lower()
    if len(set(lowered)) < MIN_DISTINCT_CHARACTERS:
        return Weakness.REPETITIVE
    if _is_common(lowered):
        return Weakness.COMMON
    if any(_contains(lowered, part) for part in _email_parts(email)):
        return Weakness.CONTAINS_EMAIL
    return None


def one_time_password(email: str = "") -> str:
    """A random password of 20 readable characters in groups of four, to be changed at once."""
    while True:
        groups = (
            "".join(secrets.choice(_READABLE) for _ in range(_GROUP_LENGTH)) for _ in range(_GROUPS)
        )
        password = "-".join(groups)
        if weakness(password, email) is None:
            return password


def _is_common(lowered: str) -> bool:
    squeezed = "".join(lowered.split())
    # "password2024!" is as weak as "password": strip the digits and signs people add around it.
    core = squeezed.strip("0123456789!@#$%^&*()_+-=.,?~ ")
    common = _common_passwords()
    return lowered in common or squeezed in common or (len(core) >= 4 and core in common)


def _email_parts(email: str) -> set[str]:
    local = email.lower().partition("@")[0]
    pieces = re.split(r"[.\-_+]+", local)
    return {part for part in (local, *pieces) if len(part) >= 3}


def _contains(lowered: str, part: str) -> bool:
    # A short part counts only as a word of its own: "ana" is refused, "canal" is not.
    if len(part) >= 5:
        return part in lowered
    return re.search(rf"(?<![^\W\d_]){re.escape(part)}(?![^\W\d_])", lowered) is not None


@cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


def _parameters() -> str:
    h = HASHER
    return f"{h.time_cost}:{h.memory_cost}:{h.parallelism}:{h.hash_len}:{h.salt_len}"


@cache
def _dummy_hash(_parameters: str) -> str:
    return HASHER.hash(secrets.token_urlsafe(16))
