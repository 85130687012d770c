"""The SANE worker process: the only place python-sane runs, so a crashing driver kills this
process and not the application. Started by :class:`houshi_desk.scanning.sane_source.SaneSource`
with multiprocessing (spawn) and driven over a Pipe with small tuples:

    parent → worker   ("devices",) | ("scan", device, settings) | ("cancel",) | ("close",)
    worker → parent   ("devices", [(name, vendor, model, type), ...])
                      ("page", index, mode, (w, h), dpi, raw pixel bytes)
                      ("done", pages) | ("cancelled", pages) | ("error", kind, detail, pages)

A scan runs in a thread of the worker so that the worker's main thread keeps reading the pipe and
can call ``sane_cancel`` (which SANE allows from another thread) the moment "cancel" arrives.
"""
from __future__ import annotations

import queue
import threading
import traceback

# SANE status texts (sane_strstatus) → the kinds the parent maps to Chinese messages.
_KINDS = (
    ("out of documents", "no_docs"),
    ("jammed", "jammed"),
    ("cover", "cover_open"),
    ("busy", "busy"),
    ("cancel", "cancelled"),
    ("i/o", "io"),
    ("invalid argument", "inval"),
    ("out of memory", "no_mem"),
    ("denied", "denied"),
    ("not supported", "unsupported"),
)

_MODE_NAMES = {
    "gray": ("gray", "grayscale", "grey", "true gray"),
    "color": ("color", "colour", "24bit color"),
    "lineart": ("lineart", "binary", "black & white", "halftone"),
}


def kind_of(exc: BaseException) -> str:
    text = str(exc).lower()
    return next((k for needle, k in _KINDS if needle in text), "other")


class _Job:
    def __init__(self):
        self.cancelled = threading.Event()
        self.out: queue.Queue = queue.Queue()
        self.dev = None


def _pick(constraint, wanted: tuple[str, ...]):
    if not isinstance(constraint, list):
        return None
    for c in constraint:
        if isinstance(c, str) and c.lower() in wanted:
            return c
    return None


# Option values of each device as first opened in this worker. Some backends (the test backend
# among them) keep option values across sane_close/sane_open, so every scan starts from these
# instead of inheriting the previous request's extras.
_defaults: dict[str, dict] = {}


def _snapshot(dev) -> dict:
    values = {}
    for o in dev.opt.values():
        if o.py_name and o.is_active() and o.is_settable():
            try:
                values[o.py_name] = getattr(dev, o.py_name)
            except Exception:
                pass
    return values


def _restore(dev, device: str) -> None:
    saved = _defaults.setdefault(device, _snapshot(dev))
    now = _snapshot(dev)
    # Options that switch others on or off (read_delay → read_delay_duration) go back first.
    for name in sorted(saved, key=lambda n: n not in ("mode", "source", "read_delay", "read_limit")):
        if now.get(name, saved[name]) != saved[name]:
            try:
                setattr(dev, name, saved[name])
            except Exception:
                pass


def _configure(dev, s: dict) -> int:
    """Apply the request to an open device; returns the resolution actually set."""
    opts = {o.py_name: o for o in dev.opt.values()}
    if "mode" in opts:
        mode = _pick(opts["mode"].constraint, _MODE_NAMES[s["mode"]])
        if mode is None and s["mode"] == "lineart":
            mode = _pick(opts["mode"].constraint, _MODE_NAMES["gray"])  # binarised by the pipeline
        if mode is None:
            raise ValueError(f"mode:{s['mode']}")
        dev.mode = mode
    if "depth" in opts and isinstance(opts["depth"].constraint, list) and 8 in opts["depth"].constraint:
        dev.depth = 8
    if "source" in opts and isinstance(opts["source"].constraint, list):
        names = opts["source"].constraint
        if s["feeder"]:
            feeder = next((n for n in names if any(k in n.lower() for k in ("feeder", "adf", "automatic"))), None)
            if feeder is None:
                raise ValueError("feeder")
            dev.source = feeder
        else:
            flat = next((n for n in names if "flatbed" in n.lower()), None)
            if flat is not None:
                dev.source = flat
    elif s["feeder"]:
        raise ValueError("feeder")
    # Whole glass: a page is cropped to the paper afterwards.
    for name, pick in (("tl_x", 0), ("tl_y", 0), ("br_x", 1), ("br_y", 1)):
        o = opts.get(name)
        if o is not None and isinstance(o.constraint, tuple):
            setattr(dev, name, o.constraint[pick])
    if "resolution" in opts:
        c = opts["resolution"].constraint
        res = s["resolution"]
        if isinstance(c, tuple):
            res = min(max(res, c[0]), c[1])
        elif isinstance(c, list) and c:
            res = min(c, key=lambda r: abs(r - res))
        dev.resolution = res
    for k, v in (s.get("options") or {}).items():
        if k not in opts:
            raise ValueError(f"option:{k}")
        setattr(dev, k, v)
    return int(round(getattr(dev, "resolution", s["resolution"])))


def _run(job: _Job, device: str, s: dict) -> None:
    import sane

    pages = 0
    try:
        try:
            job.dev = sane.open(device)
        except Exception as exc:
            job.out.put(("error", "open", f"{device}: {exc}", 0))
            return
        _restore(job.dev, device)
        try:
            dpi = _configure(job.dev, s)
        except ValueError as exc:
            job.out.put(("error", "config", str(exc), 0))
            return
        if s.get("max_bytes"):
            params = job.dev.get_parameters()  # (format, last_frame, (px/line, lines), depth, bytes/line)
            w, h = params[2]
            if h > 0 and params[4] * h > s["max_bytes"]:
                job.out.put(("error", "too_big", f"{w}x{h} {params[4] * h} bytes", 0))
                return
        images = job.dev.multi_scan() if s["feeder"] else iter([None])
        while True:
            if job.cancelled.is_set():
                break
            try:
                im = next(images) if s["feeder"] else job.dev.scan()
            except StopIteration:
                break
            if job.cancelled.is_set():  # a cancelled read returns a short image: drop it
                break
            job.out.put(("page", pages, im.mode, im.size, dpi, im.tobytes()))
            pages += 1
            if not s["feeder"] or (s.get("pages") and pages >= s["pages"]):
                break
        job.out.put(("cancelled", pages) if job.cancelled.is_set() else ("done", pages))
    except Exception as exc:  # noqa: BLE001 - every driver error goes back to the parent as a kind
        kind = "cancelled" if job.cancelled.is_set() else kind_of(exc)
        job.out.put(("cancelled", pages) if kind == "cancelled" else ("error", kind, f"{type(exc).__name__}: {exc}", pages))
    finally:
        if job.dev is not None:
            try:
                job.dev.close()
            except Exception:
                pass


def _scan(conn, device: str, settings: dict) -> None:
    job = _Job()
    t = threading.Thread(target=_run, args=(job, device, settings), daemon=True)
    t.start()
    while True:
        try:
            msg = job.out.get(timeout=0.02)
        except queue.Empty:
            msg = None
        if msg is not None:
            conn.send(msg)
            if msg[0] in ("done", "cancelled", "error"):
                break
        if conn.poll():
            cmd = conn.recv()
            if cmd[0] == "cancel" and not job.cancelled.is_set():
                job.cancelled.set()
                if job.dev is not None:
                    try:
                        job.dev.cancel()
                    except Exception:
                        pass
            elif cmd[0] == "close":
                job.cancelled.set()
    t.join(5)


def worker_main(conn) -> None:
    """Entry point of the worker process."""
    try:
        import sane

        sane.init()
    except Exception as exc:  # noqa: BLE001
        conn.send(("error", "init", f"{type(exc).__name__}: {exc}", 0))
        return
    conn.send(("ready",))
    try:
        while True:
            try:
                cmd = conn.recv()
            except (EOFError, OSError):
                return
            if cmd[0] == "devices":
                try:
                    conn.send(("devices", [tuple(d) for d in sane.get_devices()]))
                except Exception as exc:  # noqa: BLE001
                    conn.send(("error", kind_of(exc), str(exc), 0))
            elif cmd[0] == "scan":
                _scan(conn, cmd[1], cmd[2])
            elif cmd[0] == "close":
                return
            # a stray "cancel" between scans is ignored
    except Exception:  # noqa: BLE001
        try:
            conn.send(("error", "other", traceback.format_exc(), 0))
        except Exception:
            pass
    finally:
        try:
            sane.exit()
        except Exception:
            pass
