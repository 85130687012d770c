"""A throttling TCP proxy that shapes a loopback link like a township line: a bandwidth shared by
every connection, a one-way delay in each direction, and packet loss modelled as TCP recovers
from it. Used by the T5 test and the sync benchmark (and usable in the demo).

Why a proxy and not ``tc netem``: netem needs the ``sch_netem`` kernel module, absent on the
build machines we checked (``tc qdisc add dev lo root netem`` → "Specified qdisc kind is
unknown"), and root in a network namespace; a proxy runs anywhere, in-process, without root.

The model: the stream is cut into 1448-byte segments (an Ethernet MSS); each occupies the shared
link for size ÷ rate and arrives ``delay`` later, in order. A lost segment (probability ``loss``)
costs what TCP's fast retransmit costs: the link stalls for one round trip, then the segment is
sent again. A small bottleneck buffer gives the sender real back-pressure. It is a model of TCP
over a lossy link, not packet-level emulation; the bench reports it as such.
"""
from __future__ import annotations

import asyncio
import random
import threading
import time
from dataclasses import dataclass, field

MSS = 1448


@dataclass
class LinkShape:
    rate_bps: float = 256_000  # bits per second, each direction
    delay_s: float = 0.150  # one-way, each direction (as netem on both ends: RTT = 2 × delay)
    loss: float = 0.0  # per segment
    buffer_bytes: int = 64 * 1024  # bottleneck queue per direction
    seed: int | None = None


@dataclass
class _Direction:
    shape: LinkShape
    rng: random.Random
    free_at: float = 0.0  # when the link finishes sending what is queued
    queued: int = 0
    bytes: int = 0
    lost: int = 0
    cond: asyncio.Condition = field(default_factory=asyncio.Condition)

    def schedule(self, size: int, now: float) -> float:
        """Arrival time of a segment put on the link now."""
        start = max(now, self.free_at)
        tx = size * 8 / self.shape.rate_bps
        if self.shape.loss and self.rng.random() < self.shape.loss:
            self.lost += 1
            start += 2 * self.shape.delay_s + tx  # lost, noticed one RTT later, sent again
        self.free_at = start + tx
        self.bytes += size
        return self.free_at + self.shape.delay_s


class ShapedProxy:
    """``ShapedProxy(upstream_host, upstream_port, shape).start()`` → local URL host:port."""

    def __init__(self, upstream_host: str, upstream_port: int, shape: LinkShape | None = None):
        self.upstream = (upstream_host, upstream_port)
        self.shape = shape or LinkShape()
        self.loop = asyncio.new_event_loop()
        self.port: int | None = None
        self._thread = threading.Thread(target=self.loop.run_forever, name="shaped-proxy", daemon=True)
        self._server = None
        rng = random.Random(self.shape.seed)
        self.up = _Direction(self.shape, rng)
        self.down = _Direction(self.shape, rng)

    def start(self) -> tuple[str, int]:
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(self._listen(), self.loop)
        fut.result(10)
        return "127.0.0.1", self.port

    async def _listen(self):
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        async def _close():
            self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(_close(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()

    async def _handle(self, reader, writer):
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        await asyncio.gather(self._pump(reader, up_writer, self.up), self._pump(up_reader, writer, self.down),
                             return_exceptions=True)

    async def _pump(self, reader, writer, d: _Direction):
        loop = asyncio.get_running_loop()
        pending: asyncio.Queue = asyncio.Queue()
        closed = {"v": False}

        async def deliver():
            while True:
                item = await pending.get()
                if item is None:
                    break
                at, data = item
                wait = at - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                try:
                    writer.write(data)
                    await writer.drain()
                except (ConnectionError, OSError):
                    break
                finally:
                    async with d.cond:
                        d.queued -= len(data)
                        d.cond.notify_all()
            closed["v"] = True
            async with d.cond:
                d.cond.notify_all()
            try:
                writer.close()
            except Exception:  # noqa: BLE001
                pass

        task = asyncio.create_task(deliver())
        try:
            while True:
                data = await reader.read(MSS)
                if not data:
                    break
                async with d.cond:
                    await d.cond.wait_for(lambda: d.queued < self.shape.buffer_bytes or closed["v"])
                    if closed["v"]:
                        break
                    d.queued += len(data)  # counted until delivered: the bottleneck buffer's fill
                pending.put_nowait((d.schedule(len(data), loop.time()), data))
        except (ConnectionError, OSError):
            pass
        finally:
            pending.put_nowait(None)
            await task


def ideal_seconds(nbytes: int, shape: LinkShape) -> float:
    return nbytes * 8 / shape.rate_bps


def now() -> float:
    return time.monotonic()
