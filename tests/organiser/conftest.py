"""Fixtures for organisers: a cheap password hasher, accounts, and signing in via the form."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher

from survey.models import Role
from survey.services import accounts, passwords
from tests.organiser.helpers import PASSWORD


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch):
    """Argon2 with tiny costs, so that tests sign in fast; the real parameters are tested apart."""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "HASHER", hasher)
    return hasher


@pytest.fixture
def database(app):
    return app.extensions["survey.db"]


@dataclass
class Account:
    id: int
    email: str
    password: str


@pytest.fixture
def make_account(database):
    """Add an account with a known password (changed already, unless ``one_time``)."""

    def make(email="ana@example.org", role=Role.ADMIN, password=PASSWORD) -> Account:
        with database.writing() as session:
            staff, _ = accounts.create_account(session, email, role, password)
        return Account(staff.id, staff.email, password)

    return make


@pytest.fixture
def admin(make_account) -> Account:
    return make_account("ana@example.org", Role.ADMIN)


@pytest.fixture
def analyst(make_account) -> Account:
    return make_account("wei@example.org", Role.ANALYST)
