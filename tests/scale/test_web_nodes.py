"""Two `akhbar web` processes on two ports against one PostgreSQL share sessions and the login rate limit.

The image reports endpoint (POST /img/report) is not in this tree yet, so the failed-login counter is the
shared-state probe: it lives in the database, like the report counts.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from akhbar.store import Store
from akhbar.web.auth import ACCOUNT_LIMIT, hash_password

pytestmark = pytest.mark.services
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct horse battery staple"


def _post_login(client: httpx.Client, node: str, username: str, password: str) -> httpx.Response:
    form = client.get(f"{node}/admin/login")
    match = TOKEN.search(form.text)
    assert match, form.text[:300]
    data = {"username": username, "password": password, "csrf_token": match.group(1)}
    return client.post(f"{node}/admin/login", data=data)


def test_two_web_nodes_share_sessions_and_rate_limits(pg_url: str, processes: Any, helpers: Any) -> None:
    store = Store.open(pg_url)
    for name in ("alice", "bob"):
        store.create_account(name, hash_password(PASSWORD), "admin", now=datetime.now(UTC))
    store.close()
    processes.env = helpers.env(pg_url)
    ports = [helpers.free_port(), helpers.free_port()]
    for index, port in enumerate(ports):
        processes.start(f"web-{index}", "web", "--port", str(port))
    nodes = [f"http://127.0.0.1:{port}" for port in ports]
    for port in ports:
        helpers.wait_for_port(port, 60)
    with httpx.Client(timeout=20) as client:
        for attempt in range(ACCOUNT_LIMIT):  # failures spread over both nodes count together
            assert _post_login(client, nodes[attempt % 2], "bob", "wrong").status_code == 401
        refused = _post_login(client, nodes[ACCOUNT_LIMIT % 2], "bob", PASSWORD)
        assert refused.status_code == 429
        assert _post_login(client, nodes[0], "alice", PASSWORD).status_code == 303
        assert client.get(f"{nodes[1]}/admin/sources").status_code == 200  # the session opened on node 0
