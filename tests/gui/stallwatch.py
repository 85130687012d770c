"""Debug aid for stall hunting: a watchdog thread that prints the GUI thread's Python stack
whenever the event loop has not ticked for ``limit`` seconds (use with StallMeter)."""
from __future__ import annotations

import sys
import threading
import time
import traceback


class StallWatch:
    def __init__(self, meter, limit: float = 0.06):
        self.meter, self.limit = meter, limit
        self.main = threading.main_thread().ident
        self.stop = threading.Event()
        self.reports: list[str] = []

    def run(self):
        reported = None
        while not self.stop.wait(0.01):
            last = self.meter._last
            if last is not None and time.perf_counter() - last > self.limit and reported != last:
                reported = last
                frame = sys._current_frames().get(self.main)
                self.reports.append("".join(traceback.format_list(traceback.extract_stack(frame)[-8:])))

    def __enter__(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        for r in self.reports:
            print("---- GUI thread while stalled:\n" + r)
