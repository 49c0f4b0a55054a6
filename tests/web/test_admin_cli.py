"""`akhbar admin create-user / set-password / list-users`, and the account they make opening /admin."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner

import akhbar.commands_admin  # noqa: F401  # registers `akhbar admin`
from akhbar.cli import CommandError, app
from akhbar.store import Store
from akhbar.web import auth

PASSWORD = "a long enough secret"


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch):
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def admin(settings, tmp_path, monkeypatch):
    """Return a function running `akhbar admin ARGS...` in-process over the test's data directory."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    env = {
        "AKHBAR_DATA_DIR": settings.data_dir,
        "AKHBAR_DATABASE_URL": settings.database_url_effective,  # the engine under test
        "AKHBAR_LOAD_DEFAULT_SOURCES": "0",
    }

    def run(*args: str, input: str = ""):
        return CliRunner().invoke(app, ["admin", *args], input=input, env=env)

    return run


def account(settings, name: str):
    store = Store.open(settings.database_url_effective)
    try:
        return store.account_by_username(name)
    finally:
        store.close()


def test_create_user_from_stdin_makes_an_argon2_admin(admin, settings):
    result = admin("create-user", "Alice", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "created admin account alice" in result.output
    created = account(settings, "alice")
    assert created.role == "admin"
    assert created.password_hash.startswith("$argon2id$")
    assert auth.verify_password(created.password_hash, PASSWORD)


def test_create_user_prompts_twice(admin, settings):
    result = admin("create-user", "mona", "--role", "moderator", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Password") == 1 and "Repeat for confirmation" in result.output
    assert account(settings, "mona").role == "moderator"


def test_a_mistyped_confirmation_is_asked_again(admin, settings):
    result = admin("create-user", "mona", input=f"{PASSWORD}\nsomething else\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (["create-user", "alice", "--password-stdin"], "short\n", "at least 10 characters"),
        (["create-user", "has space", "--password-stdin"], PASSWORD + "\n", "user name is 1 to 80"),
        (
            ["create-user", "bob", "--role", "king", "--password-stdin"],
            PASSWORD + "\n",
            "unknown role 'king'",
        ),
        (["set-password", "ghost", "--password-stdin"], PASSWORD + "\n", "no account named 'ghost'"),
    ],
)
def test_bad_input_is_one_clear_line(admin, args, stdin, message):
    result = admin(*args, input=stdin)
    assert isinstance(result.exception, CommandError)
    assert message in str(result.exception)
    assert "\n" not in str(result.exception)


def test_a_taken_name_is_refused(admin):
    admin("create-user", "alice", "--password-stdin", input=PASSWORD + "\n")
    result = admin("create-user", "ALICE", "--password-stdin", input=PASSWORD + "\n")
    assert "an account named 'alice' already exists" in str(result.exception)


def test_set_password_then_list_users(admin, settings):
    admin("create-user", "alice", "--password-stdin", input=PASSWORD + "\n")
    assert admin("set-password", "alice", "--password-stdin", input="another long secret\n").exit_code == 0
    assert auth.verify_password(account(settings, "alice").password_hash, "another long secret")
    listing = admin("list-users")
    assert "alice" in listing.output and "never" in listing.output and "1 accounts" in listing.output


def test_the_real_command_prints_one_line_on_failure(settings, tmp_path):
    env = {**os.environ, "AKHBAR_DATA_DIR": settings.data_dir}
    env["AKHBAR_DATABASE_URL"] = settings.database_url_effective  # the engine under test
    done = subprocess.run(
        [sys.executable, "-m", "akhbar", "admin", "create-user", "alice", "--password-stdin"],
        input="short\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "akhbar: admin: the password must have at least 10 characters"
