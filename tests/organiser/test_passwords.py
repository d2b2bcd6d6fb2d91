"""The password policy, one-time passwords and the argon2 parameters."""

import pytest
from argon2 import PasswordHasher, Type
from argon2.profiles import RFC_9106_LOW_MEMORY

from survey.services import passwords
from survey.services.passwords import Weakness

# Read before any fixture swaps in the cheap test hasher.
PRODUCTION_HASHER = passwords.HASHER


def test_the_hasher_is_memory_hard_argon2id():
    params = PRODUCTION_HASHER._parameters
    assert params.type is Type.ID
    assert params.memory_cost >= RFC_9106_LOW_MEMORY.memory_cost  # 64 MiB
    assert params.time_cost >= 3


@pytest.mark.parametrize(
    ("password", "email", "expected"),
    [
        ("short", "", Weakness.TOO_SHORT),
        ("eleven char", "", Weakness.TOO_SHORT),
        ("x" * 200 + "a different ending, and then some more" * 2, "", Weakness.TOO_LONG),
        ("aaaaaaaaaaaaaaaa", "", Weakness.REPETITIVE),
        ("121212121212", "", Weakness.REPETITIVE),
        ("password1234", "", Weakness.COMMON),
        ("Password2024!", "", Weakness.COMMON),
        ("QWERTYUIOP123", "", Weakness.COMMON),
        ("correct horse battery staple", "", Weakness.COMMON),
        ("iloveyou forever", "", Weakness.COMMON),
        ("my name is jane.doe ok", "jane.doe@example.org", Weakness.CONTAINS_EMAIL),
        ("Doe-family-garden-9", "jane.doe@example.org", Weakness.CONTAINS_EMAIL),
        ("a canal of bananas in june", "ana@example.org", None),
        ("Ana, keep this safe", "ana@example.org", Weakness.CONTAINS_EMAIL),
        ("Jane's summer garden 77", "jane.doe@example.org", Weakness.CONTAINS_EMAIL),
    ],
)
def test_weak_passwords_are_refused(password, email, expected):
    assert passwords.weakness(password, email) is expected


def test_long_passphrases_are_accepted():
    passphrase = "the heron waits by the cold canal while trams hum past at dusk 7"
    assert len(passphrase) == 64
    assert passwords.weakness(passphrase, "ana@example.org") is None
    assert passwords.weakness("é" * 3 + "x" * 250 + "yzw", "") is None  # 256 characters


def test_the_common_list_is_lowercase_and_large():
    common = passwords._common_passwords()
    assert len(common) >= 1000
    assert all(word == word.lower() for word in common)
    assert {"123456", "password", "qwerty", "letmein"} <= common


def test_one_time_passwords_are_readable_random_and_acceptable():
    made = {passwords.one_time_password("ana@example.org") for _ in range(50)}
    assert len(made) == 50
    for password in made:
        assert len(password.replace("-", "")) == 20
        assert not set(password) & set("0o1liI")
        assert passwords.weakness(password, "ana@example.org") is None


def test_verify_and_rehash_when_parameters_change(cheap_hasher):
    current = passwords.hash_password("violet kettle harbour 42")
    assert passwords.verify_password(current, "violet kettle harbour 42")
    assert not passwords.verify_password(current, "violet kettle harbour 43")
    assert not passwords.verify_password("not a hash", "anything at all")
    assert not passwords.needs_rehash(current)
    older = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash("x" * 12)
    assert passwords.needs_rehash(older)
