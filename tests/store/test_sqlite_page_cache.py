"""Every pooled SQLCipher connection has a bounded page cache (issue 19: each of the pool's up to 12
connections filled SQLite's default 2000 KiB cache a few KB per case, and the window's memory grew
with it — tests/bench/bench_memory.py)."""
from __future__ import annotations


def test_every_pooled_connection_gets_the_bounded_page_cache(sqlite_store):
    engine = sqlite_store.engine
    held = [engine.connect() for _ in range(6)]  # past the pool's 4: overflow connections too
    try:
        raw = {id(c.connection.dbapi_connection) for c in held}
        sizes = [c.exec_driver_sql("PRAGMA cache_size").scalar() for c in held]
    finally:
        for c in held:
            c.close()
    assert len(raw) == 6  # six real connections, each set up by _on_sqlite_connect
    assert sizes == [-1024] * 6  # 1 MiB each (negative: KiB), not SQLite's default -2000


def test_a_connection_made_after_the_pool_was_emptied_is_bounded_too(sqlite_store):
    sqlite_store.engine.dispose()
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -1024
        assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar() > 0  # still the real, keyed file
