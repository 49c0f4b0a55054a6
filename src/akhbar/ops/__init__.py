"""Operations on bad days: backup and restore, retention, a disk-space guard and graceful shutdown."""

from akhbar.ops.backup import BackupReport, backup_database, restore_database
from akhbar.ops.diskspace import DiskGuard, is_disk_full
from akhbar.ops.errors import OpsError
from akhbar.ops.retention import prune_bodies
from akhbar.ops.shutdown import Terminated, terminate_on_sigterm

__all__ = [
    "BackupReport",
    "DiskGuard",
    "OpsError",
    "Terminated",
    "backup_database",
    "is_disk_full",
    "prune_bodies",
    "restore_database",
    "terminate_on_sigterm",
]
