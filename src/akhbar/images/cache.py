"""The image cache: fetch an outlet's image once (guarded, checked, re-encoded), keep it on disk by hash."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from akhbar.config import Settings
from akhbar.fetch import Fetcher, FetchError
from akhbar.images.process import ImageError, Processed, process
from akhbar.images.public import HIDDEN_STATES
from akhbar.store import Store, StoreError
from akhbar.store.images import ImageRecord

log = logging.getLogger(__name__)

IMAGE_ACCEPT = "image/webp,image/jpeg,image/png,image/gif;q=0.9,*/*;q=0.1"
EXTENSIONS = {"image/jpeg": "jpg", "image/webp": "webp"}
# A failed image is tried again after this long (the outlet may have been down), not on every page view.
RETRY_FAILED_AFTER = timedelta(hours=6)

FetcherFactory = Callable[[Settings], Fetcher]


@dataclass(frozen=True)
class Served:
    """What /img answers: a cached file, or None for the placeholder."""

    record: ImageRecord
    path: Path | None


class ImageCache:
    """Serve outlet images from <data_dir>/images, fetching each on first request with one fetch per image."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        fetcher_factory: FetcherFactory = Fetcher,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        # The fetcher's own size cap becomes the image cap; everything else (SSRF guard, timeouts) is shared.
        self.settings = settings.replace(fetch_max_bytes=int(settings.image_max_bytes))
        self.store = store
        self.root = Path(settings.data_dir).expanduser() / "images"
        self._fetcher_factory = fetcher_factory
        self._clock = clock
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}  # lock and how many wait on it

    def file_of(self, record: ImageRecord) -> Path | None:
        """Return where the re-encoded bytes of a fetched image live (None before it was fetched)."""
        ext = EXTENSIONS.get(record.content_type)
        if not record.sha256 or not ext:
            return None
        return self.root / record.sha256[:2] / f"{record.sha256}.{ext}"

    async def serve(self, url: str) -> Served:
        """Return the cached file of an image URL, fetching it first when needed; None path = placeholder."""
        record = await asyncio.to_thread(self._record_of, url)
        if self._ready(record) is not None or not self._wants_fetch(record):
            return Served(record, self._ready(record))
        lock, users = self._locks.get(url, (asyncio.Lock(), 0))
        self._locks[url] = (lock, users + 1)
        try:
            async with lock:  # concurrent first requests wait for one fetch instead of each fetching
                record = await asyncio.to_thread(self._record_of, url)
                if self._wants_fetch(record) and self._ready(record) is None:
                    record = await self.fetch(record)
        finally:
            lock, users = self._locks[url]
            if users > 1:
                self._locks[url] = (lock, users - 1)
            else:
                del self._locks[url]
        return Served(record, self._ready(record))

    def _record_of(self, url: str) -> ImageRecord:
        """Return the row of an image URL; only a first sight writes (a read serves every later request)."""
        return self.store.image_by_url(url) or self.store.ensure_image(url)

    def _ready(self, record: ImageRecord) -> Path | None:
        """Return the file to serve when the image may be shown and its bytes are on disk."""
        if record.state != "ok":
            return None
        path = self.file_of(record)
        return path if path is not None and path.is_file() else None

    def _wants_fetch(self, record: ImageRecord) -> bool:
        if record.state in HIDDEN_STATES:
            return False  # a blocked image is never fetched again: nothing of it reaches a reader
        if record.state == "failed":
            return record.fetched_at is None or self._clock() - record.fetched_at >= RETRY_FAILED_AFTER
        return True  # pending, or ok with the file missing (a new disk, another web machine)

    async def fetch(self, record: ImageRecord) -> ImageRecord:
        """Download, check and re-encode one image, store it by hash and record the outcome."""
        now = self._clock()
        try:
            processed = await self._download(record.url)
        except (FetchError, ImageError) as exc:
            log.info("images: cannot cache %s: %s", record.url, exc)
            await asyncio.to_thread(self.store.record_image_failure, record.id, str(exc), now=now)
            return await self._reread(record)
        path = self._write(processed)
        updated = await asyncio.to_thread(
            lambda: self.store.record_image_fetch(
                record.id,
                sha256=processed.sha256,
                width=processed.width,
                height=processed.height,
                content_type=processed.content_type,
                now=now,
            )
        )
        if updated.state in HIDDEN_STATES:
            path.unlink(missing_ok=True)  # bytes a moderator blocked are not kept
        return updated

    async def _download(self, url: str) -> Processed:
        async with self._fetcher_factory(self.settings) as fetcher:
            result = await fetcher.get(url, accept=IMAGE_ACCEPT)
        settings = self.settings
        return await asyncio.to_thread(
            process,
            result.content,
            max_pixels=int(settings.image_max_pixels),
            max_width=int(settings.image_max_width),
            quality=int(settings.image_quality),
        )

    def _write(self, processed: Processed) -> Path:
        """Write the re-encoded bytes atomically (a reader never sees half a file)."""
        ext = EXTENSIONS[processed.content_type]
        path = self.root / processed.sha256[:2] / f"{processed.sha256}.{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{id(processed)}")
        draft.write_bytes(processed.data)
        os.replace(draft, path)
        return path

    async def _reread(self, record: ImageRecord) -> ImageRecord:
        found = await asyncio.to_thread(self.store.image_by_id, record.id)
        if found is None:
            raise StoreError(f"store: image {record.id} disappeared while it was fetched")
        return found
