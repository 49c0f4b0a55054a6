"""The Celery application of the distributed mode: broker, delivery guarantees and the task names.

Every task is acknowledged late (after it ran) and rejected back to the queue when its worker process dies,
so a killed worker's work is done again by another; the task bodies are idempotent (articles are upserted by
canonical URL), so doing a task twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from akhbar.config import Settings
from akhbar.store.engine import safe_url

REFRESH_SOURCE = "akhbar.refresh_source"
EXTRACT_ARTICLE = "akhbar.extract_article"
ENRICH_ARTICLE = "akhbar.enrich_article"
FETCH_IMAGE = "akhbar.fetch_image"
QUEUE = "akhbar"


def celery_config(settings: Settings) -> dict[str, Any]:
    """Return the Celery settings akhbar relies on (delivery at least once, one task at a time per slot)."""
    return {
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        # One message per free slot: a prefetched message would wait behind a long refresh, and a worker
        # that dies holds fewer unacknowledged messages.
        "worker_prefetch_multiplier": 1,
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": True,
        "task_default_queue": QUEUE,
        "broker_transport_options": {"visibility_timeout": int(settings.broker_visibility_timeout)},
        "broker_connection_retry_on_startup": True,
        "broker_connection_max_retries": None,  # a broker restart is waited out, never fatal
        "worker_hijack_root_logger": False,
        "worker_send_task_events": False,
        "enable_utc": True,
    }


def make_celery(settings: Settings) -> Celery:
    """Build the Celery app on the configured broker (Redis by default; amqp:// URLs work the same)."""
    app = Celery("akhbar", broker=str(settings.broker_url), set_as_current=False)
    app.conf.update(celery_config(settings))
    return app


def broker_label(settings: Settings) -> str:
    """Return the broker URL with any password hidden, for logs and errors."""
    return safe_url(str(settings.broker_url))
