"""Run as its own process by test_accept_atomic.py: accepts cases with scanned pages, one after another,
through ``services.accept.accept_case`` (the window's 受理), printing each number once it is committed.
The test kills it with SIGKILL at random moments."""
from __future__ import annotations

import sys
from datetime import date

from PIL import Image, ImageDraw


def page(i: int) -> Image.Image:
    img = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    d = ImageDraw.Draw(img)
    for y in range(150, 2200, 60):
        d.line([(150, y), (1500, y)], fill=0, width=3)
    d.rectangle([200, 200, 600 + i % 500, 400], outline=0, width=5)
    img.info["dpi"] = (200, 200)
    return img


def main() -> int:
    from houshi_desk.config import load_settings
    from houshi_desk.services.accept import accept_case
    from houshi_desk.services.cases import case_from_dict, sample_case_dict
    from houshi_desk.store.db import open_store
    from houshi_desk.users.accounts import User
    from houshi_desk.users.roles import Role

    start = int(sys.argv[1])
    settings = load_settings()
    store = open_store(settings)
    clerk = User(1, "clerk01", "测试窗口人员", Role.CLERK)
    for k in range(start, start + 40):
        case = case_from_dict(sample_case_dict(deceased_seq=k))
        pages = {"death_cert_medical": ([page(k), page(k + 1)], "scan"), "household_register": ([page(k + 2)], "import")}
        done = accept_case(store, case, user=clerk, settings=settings, today=date(2026, 1, 23), pages=pages,
                           audits={"death_cert_medical": [("change", "质量检查通过")]})
        print(done.number, flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
