"""glibc's malloc as the window sets it up (houshi_desk/gui/gc_tuning.py ``limit_malloc_arenas``,
issue 19): a large block is always a mapping of its own, handed back whole when freed — also after a
larger one was freed, which by default raises that threshold and lets the next ones settle in an
arena that keeps them."""
from __future__ import annotations

import ctypes
import sys

import pytest

MB = 1024 * 1024


class _MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                "fsmblks", "uordblks", "fordblks", "keepcost")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt and mallinfo2")
def test_large_blocks_stay_mapped_after_a_larger_one_was_freed():
    from houshi_desk.gui import gc_tuning

    libc = ctypes.CDLL("libc.so.6")
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    libc.mallinfo2.restype = _MallInfo2

    def mapped() -> int:
        return libc.mallinfo2().hblkhd

    assert gc_tuning.limit_malloc_arenas()
    big = libc.malloc(24 * MB)  # a page scan or a PDF's buffer
    assert big
    libc.free(big)  # glibc's default: mapped blocks up to 24 MB now come from the heap instead
    before = mapped()
    block = libc.malloc(2 * MB)
    assert block
    try:
        assert mapped() - before >= 2 * MB  # its own mapping …
    finally:
        libc.free(block)
    assert mapped() == before  # … handed back whole
