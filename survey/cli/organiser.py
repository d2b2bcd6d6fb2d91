"""``survey organiser``: the organisers' accounts (there is no default account)."""

from __future__ import annotations

import sys

import click
from sqlalchemy.orm import Session

from survey.cli.base import cli
from survey.db import database
from survey.models import Role, Staff
from survey.services import accounts

ROLES = click.Choice([role.value for role in Role], case_sensitive=False)


@cli.group("organiser")
def organiser_group() -> None:
    """Organiser accounts: add, list, change role, deactivate, reset password."""


@organiser_group.command("add")
@click.argument("email")
@click.option("--role", type=ROLES, required=True, help="admin: everything; analyst: results.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of printing a one-time password.",
)
def add_command(email: str, role: str, password_stdin: bool) -> None:
    """Add an account for EMAIL and print its one-time password.

    The one-time password is shown once; whoever signs in with it must choose their own
    password first. With --password-stdin the account's password is read from the first line
    of standard input (at least 12 characters, not a common one) and need not be changed.
    """
    password = _read_password() if password_stdin else None
    with database().writing() as session:
        try:
            staff, one_time = accounts.create_account(session, email, Role(role.lower()), password)
        except accounts.AccountError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"added {staff.email} ({staff.role.value})")
    if one_time:
        click.echo(f"one-time password: {one_time}")
        click.echo("It is shown only now; it must be changed at the first sign-in.")


@organiser_group.command("list")
def list_command() -> None:
    """List the accounts: e-mail, role, state and when each was added."""
    with database().read_sessions() as session:
        staff = accounts.list_accounts(session)
    if not staff:
        click.echo("no organiser accounts yet: add one with 'survey organiser add'")
    for account in staff:
        state = (
            "deactivated"
            if not account.active
            else "must change password"
            if account.must_change_password
            else "active"
        )
        created = account.created_at.strftime("%Y-%m-%d")
        click.echo(f"{account.email}\t{account.role.value}\t{state}\tadded {created}")


@organiser_group.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLES)
def set_role_command(email: str, role: str) -> None:
    """Give the account EMAIL the role ROLE (admin or analyst)."""
    with database().writing() as session:
        accounts.set_role(session, _account(session, email), Role(role.lower()))
    click.echo(f"{email.lower()} is now {role.lower()}")


@organiser_group.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Stop EMAIL from signing in and end its sessions now."""
    with database().writing() as session:
        accounts.deactivate(session, _account(session, email))
    click.echo(f"deactivated {email.lower()}; its sessions have ended")


@organiser_group.command("reset-password")
@click.argument("email")
def reset_password_command(email: str) -> None:
    """Give EMAIL a new one-time password, print it, and end all its sessions."""
    with database().writing() as session:
        one_time = accounts.reset_password(session, _account(session, email))
    click.echo(f"one-time password for {email.lower()}: {one_time}")
    click.echo("It is shown only now; it must be changed at the next sign-in.")


def _account(session: Session, email: str) -> Staff:
    staff = accounts.find_account(session, email)
    if staff is None:
        raise click.ClickException(f"no organiser account for {accounts.normalise_email(email)}")
    return staff


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    return sys.stdin.readline().rstrip("\r\n")
