"""`akhbar admin ...`: operator accounts for the /admin pages (registered on the CLI app)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from akhbar.cli import app, current_settings, fail, open_store, out
from akhbar.store.accounts import ROLES
from akhbar.web.auth import check_new_credentials, hash_password, normalize_username

admin_app = typer.Typer(help="Operator accounts for the /admin pages.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")
STDIN_HELP = "Read the password from the first line of standard input (for scripts)."


def read_password(from_stdin: bool) -> str:
    """Return a new password: the first line of standard input, or typed twice at a hidden prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@admin_app.command("create-user")
def create_user(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ -).")],
    role: Annotated[str, typer.Option(help="admin (everything) or moderator (image reports).")] = "admin",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help=STDIN_HELP)] = False,
) -> None:
    """Create an operator account; the password is asked twice (or read from standard input)."""
    username = normalize_username(name)
    if role not in ROLES:
        fail(f"admin: unknown role {role!r} (use {' or '.join(ROLES)})")
    password = read_password(password_stdin)
    try:
        check_new_credentials(username, password)
    except ValueError as exc:
        fail(f"admin: {exc}")
    with open_store(current_settings()) as store:
        if store.account_by_username(username) is not None:
            fail(f"admin: an account named {username!r} already exists")
        store.create_account(username, hash_password(password), role, now=datetime.now(UTC))
    out.print(f"created {role} account {username}")


@admin_app.command("set-password")
def set_password(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help=STDIN_HELP)] = False,
) -> None:
    """Give an operator account a new password."""
    username = normalize_username(name)
    with open_store(current_settings()) as store:
        account = store.account_by_username(username)
        if account is None:
            fail(f"admin: no account named {username!r} (see `akhbar admin list-users`)")
        assert account is not None
        password = read_password(password_stdin)
        try:
            check_new_credentials(username, password)
        except ValueError as exc:
            fail(f"admin: {exc}")
        store.set_password_hash(account.id, hash_password(password))
    out.print(f"new password set for {username}")


@admin_app.command("list-users")
def list_users() -> None:
    """List the operator accounts."""
    with open_store(current_settings()) as store:
        accounts = store.all_accounts()
    table = Table("name", "role", "created", "last login")
    for a in accounts:
        last = f"{a.last_login_at:%Y-%m-%d %H:%M}" if a.last_login_at else "never"
        table.add_row(a.username, a.role, f"{a.created_at:%Y-%m-%d}", last)
    out.print(table)
    out.print(f"{len(accounts)} accounts")
