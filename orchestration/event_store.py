"""Dagster's SQLite storage, with a batch of events written in one transaction per database.

Launching a run writes a *planned* event for every asset and check it will run (about 700
for refresh_all, most of them dbt tests), and Dagster hands them to the event log as one
batch when DAGSTER_EVENT_BATCH_SIZE is set, which this storage does in each process that
loads it (the command line, the UI, the daemon, the run workers). The stock SQLite event log
stores a batch event by event, opening a database engine and committing in the run's
database and again in the index database for each one: about 15 ms an event, 10 s of every
run before its first step. Here a batch shares one connection and one transaction per
database; events outside a batch, and other threads, are stored exactly as before.

Set in the instance settings (orchestration/dagster.yaml):

    storage:
      custom:
        module: orchestration.event_store
        class: BatchedSqliteStorage
        config:
          base_dir: {env: DAGSTER_HOME}
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import yaml
from dagster import EventLogEntry
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._core.storage.sqlite_storage import (
    DagsterSqliteStorage,
    _event_logs_directory,
)
from dagster._serdes import ConfigurableClassData
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

# Dagster's own batching, off unless this is set; Dagster reads it at each event.
BATCH_SIZE_ENV, BATCH_SIZE = "DAGSTER_EVENT_BATCH_SIZE", "1000"


class BatchedSqliteEventLogStorage(SqliteEventLogStorage):
    """The SQLite event log, storing a batch in one transaction per shard database."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        super().__init__(base_dir, inst_data)
        self._batch_thread: int | None = None
        self._batch_connections: dict[str, Any] = {}

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        # The lock keeps other threads (the event watchers) out until the batch is stored.
        with self._db_lock:
            self._batch_thread = threading.get_ident()
            try:
                for event in events:
                    self.store_event(event)
                for _, connection in self._batch_connections.values():
                    connection.commit()
            finally:
                for engine, connection in self._batch_connections.values():
                    connection.close()
                    engine.dispose()
                self._batch_connections = {}
                self._batch_thread = None

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Any]:
        if self._batch_thread != threading.get_ident():
            with super()._connect(shard) as connection:
                yield connection
            return
        if shard not in self._batch_connections:
            engine = create_engine(
                self.conn_string_for_shard(shard),
                poolclass=NullPool,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            )
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            connection = engine.connect()
            connection.begin()
            self._batch_connections[shard] = (engine, connection)
        yield self._batch_connections[shard][1]


class BatchedSqliteStorage(DagsterSqliteStorage):
    """Dagster's default SQLite storage (runs, event log, schedules under base_dir), with the
    batched event log."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        super().__init__(base_dir, inst_data)
        self._event_log_storage = BatchedSqliteEventLogStorage(_event_logs_directory(base_dir))
        os.environ.setdefault(BATCH_SIZE_ENV, BATCH_SIZE)

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData, config_value: Any):
        # The parent's builds DagsterSqliteStorage by name, not cls.
        return cls.from_local(inst_data=inst_data, **config_value)

    @property
    def event_storage_data(self) -> ConfigurableClassData | None:
        config = yaml.dump({"base_dir": _event_logs_directory(self.base_dir)})
        return ConfigurableClassData(__name__, BatchedSqliteEventLogStorage.__name__, config)
