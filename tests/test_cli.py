"""The `akhbar` command as an operator runs it: a real process, real files, a loopback site."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

FEED = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Le Quotidien du Test</title>'
    "<item><guid>q1</guid><title>La pluie revient sur le Rif</title><link>{base}/a/q1</link>"
    "<description>Des averses sont attendues dès ce soir sur les hauteurs du Rif.</description>"
    f"<pubDate>{format_datetime(datetime.now(UTC))}</pubDate></item></channel></rss>"
)
HOME = (
    "<!doctype html><html><head><title>Le Quotidien du Test</title>"
    '<link rel="alternate" type="application/rss+xml" href="/flux/principal.xml"></head>'
    "<body>Accueil</body></html>"
)


@pytest.fixture
def akhbar(settings, tmp_path):
    """Return a function running `akhbar ARGS...` in a fresh data directory."""
    env = {
        **os.environ,
        "AKHBAR_DATA_DIR": settings.data_dir,
        "AKHBAR_FETCH_ALLOW_PRIVATE": "1",
        "AKHBAR_LOAD_DEFAULT_SOURCES": "0",
        "AKHBAR_FETCH_RESPECT_ROBOTS": "0",
        "AKHBAR_FETCH_ARTICLE_PAGES": "never",
        "AKHBAR_FETCH_RETRIES": "0",
    }

    def run(
        *args: str, stdin: str = "", extra_env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "akhbar", *args],
            env={**env, **(extra_env or {})},
            cwd=tmp_path,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_add_discovers_the_feed_then_fetch_list_export_remove(akhbar, loopback, tmp_path):
    loopback.reply("/", HOME, content_type="text/html")
    loopback.reply("/flux/principal.xml", FEED.format(base=loopback.url))
    added = akhbar("sources", "add", loopback.url + "/", "--language", "fr", "--category", "societe")
    assert added.returncode == 0, added.stderr
    assert f"{loopback.url}/flux/principal.xml" in added.stdout
    fetched = akhbar("fetch")
    assert "1 new articles" in fetched.stdout
    listed = akhbar("sources", "list")
    assert "ok" in listed.stdout and "1 sources" in listed.stdout
    exported = akhbar("sources", "export", "--format", "toml")
    assert "principal.xml" in exported.stdout
    (tmp_path / "back.toml").write_text(exported.stdout)
    removed = akhbar("sources", "remove", "127-0-0-1")
    assert removed.returncode == 0, removed.stderr
    assert "0 sources" in akhbar("sources", "list").stdout
    imported = akhbar("sources", "import", str(tmp_path / "back.toml"))
    assert "imported 1 sources" in imported.stdout


def test_fetch_prints_one_line_per_failing_source(akhbar, loopback, tmp_path):
    loopback.reply("/good.xml", FEED.format(base=loopback.url))
    loopback.reply("/page.html", "<html><body>pas un flux</body></html>", content_type="text/html")
    opml = (
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        f'<outline text="Bon" xmlUrl="{loopback.url}/good.xml" htmlUrl="{loopback.url}/"/>'
        f'<outline text="Page" xmlUrl="{loopback.url}/page.html" htmlUrl="{loopback.url}/p/"/>'
        f'<outline text="Absent" xmlUrl="{loopback.url}/gone.xml" htmlUrl="{loopback.url}/g/"/>'
        "</body></opml>"
    )
    (tmp_path / "list.opml").write_text(opml)
    imported = akhbar("sources", "import", str(tmp_path / "list.opml"))
    assert "imported 3 sources" in imported.stdout, imported.stderr
    result = akhbar("fetch")
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": " in line]
    assert any(line.startswith("page:") and "discovery" in line for line in errors), result.stderr
    assert any(line.startswith("absent:") and "404" in line for line in errors), result.stderr
    assert "1 new articles" in result.stdout and "2 failed" in result.stdout


@pytest.mark.parametrize(
    ("content", "word"),
    [
        ("this is not xml at all {", "not"),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
            '"file:///etc/passwd">]><opml><body>&e;</body></opml>',
            "",
        ),
    ],
)
def test_bad_opml_file_is_one_clear_line(akhbar, tmp_path, content, word):
    path = tmp_path / "bad.opml"
    path.write_text(content)
    line = one_line_error(akhbar("sources", "import", str(path)))
    assert line.startswith("akhbar: sources:") and word in line
    assert "root:" not in line  # nothing of /etc/passwd leaks into the message


def test_missing_file_and_unknown_source_are_one_line(akhbar, tmp_path):
    assert "no such file" in one_line_error(akhbar("sources", "import", str(tmp_path / "nope.opml")))
    assert "no source 'nope'" in one_line_error(akhbar("sources", "remove", "nope"))
    assert "not an http(s) URL" in one_line_error(akhbar("sources", "add", "ftp://example.org/"))


def test_add_with_failed_discovery_says_why(akhbar, loopback):
    loopback.reply(
        "/", "<html><head><title>Pas de flux</title></head><body>rien</body></html>", content_type="text/html"
    )
    line = one_line_error(akhbar("sources", "add", loopback.url + "/"))
    assert "no feed found" in line


def test_wrong_argument_gives_usage_and_status_2(akhbar):
    result = akhbar("sources", "export", "--bogus")
    assert result.returncode == 2 and "No such option" in result.stderr and "Traceback" not in result.stderr


def test_bad_setting_is_one_line(akhbar):
    line = one_line_error(akhbar("config", extra_env={"AKHBAR_FETCH_PER_HOST": "many"}))
    assert "AKHBAR_FETCH_PER_HOST" in line


def test_config_prints_every_setting(akhbar):
    result = akhbar("config", extra_env={"AKHBAR_PORT": "8123"})
    assert result.returncode == 0 and "AKHBAR_FETCH_MAX_BYTES" in result.stdout and "8123" in result.stdout


def test_demo_no_serve_ingests_and_prints_counts(akhbar):
    result = akhbar("demo", "--no-serve", "--wire-port", "0")
    assert result.returncode == 0, result.stderr
    assert "7 sources:" in result.stdout and "1 failed" in result.stdout
    stored = int(result.stdout.split(" articles stored")[0].split()[-1])
    assert stored >= 60


def test_db_status_reports_integrity(akhbar):
    result = akhbar("db", "status")
    assert result.returncode == 0 and "integrity: ok" in result.stdout
