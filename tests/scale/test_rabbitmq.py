"""RabbitMQ works by changing the broker URL: a worker on amqp:// refreshes a source sent to it."""

from __future__ import annotations

import os
import socket
import time
from typing import Any

import pytest

from akhbar.config import Settings
from akhbar.demo import DemoWire, synthetic_outlets
from akhbar.models import SourceSpec
from akhbar.runner.celery_app import QUEUE, REFRESH_SOURCE, make_celery
from akhbar.store import Store

pytestmark = pytest.mark.services
AMQP_URL = os.environ.get("AKHBAR_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")


def _rabbitmq_up() -> bool:
    with socket.socket() as sock:
        sock.settimeout(2)
        return sock.connect_ex(("127.0.0.1", 5672)) == 0


def test_a_worker_on_rabbitmq_refreshes_a_source(
    settings: Settings, sqlite_db: str, processes: Any, helpers: Any
) -> None:
    if not _rabbitmq_up():
        pytest.skip("RabbitMQ is not running on 127.0.0.1:5672")
    with DemoWire(synthetic_outlets(1, 3, seed=9), single_port=True) as wire:
        store = Store.open(sqlite_db)
        outlet = wire.outlets[0]
        spec = SourceSpec(url=wire.site_url(outlet.slug), feed_url=wire.feed_url(outlet.slug))
        source = store.add_source(spec)
        processes.env = helpers.env(sqlite_db, AMQP_URL)
        processes.start("worker", "worker", "--concurrency", "1")
        celery = make_celery(settings.replace(broker_url=AMQP_URL))
        celery.send_task(REFRESH_SOURCE, args=[source.id, ""], queue=QUEUE)
        deadline = time.monotonic() + 60
        while store.count_articles() < 3 and time.monotonic() < deadline:
            time.sleep(0.25)
        assert store.count_articles() == 3, processes.log("worker")
        store.close()
