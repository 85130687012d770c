"""好差评 evaluations on the reference platform (issue 17): ``POST /api/v1/evaluations``.

Signed and idempotent like every write (the Idempotency-Key's stored reply answers a repeat); the
evaluation's own ``evaluation_id`` is unique as well, so the same evaluation sent under a second key
is answered with the first one and counted as ``natural_duplicates``. Data items after GB/T
39735-2020: case, matter codes, channel (窗口/评价器), level 1–5, reasons for a low level, free text,
time, clerk.
"""
from __future__ import annotations

import json
import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

API = "/api/v1"
SCHEMA = """CREATE TABLE IF NOT EXISTS evaluations (evaluation_id TEXT PRIMARY KEY, app_key TEXT NOT NULL,
    office TEXT, case_id TEXT NOT NULL, level INTEGER NOT NULL, channel TEXT NOT NULL, body TEXT NOT NULL,
    received_at REAL NOT NULL)"""
CHANNELS = ("窗口", "评价器")


def _problem(data: dict | None) -> str | None:
    if data is None:
        return "评价内容不是 JSON 对象"
    if not isinstance(data.get("evaluation_id"), str) or not 8 <= len(data["evaluation_id"]) <= 64:
        return "缺少评价编号（evaluation_id）"
    if not isinstance(data.get("case_id"), str) or not data["case_id"]:
        return "缺少受理编号（case_id）"
    if not isinstance(data.get("level"), int) or isinstance(data["level"], bool) or not 1 <= data["level"] <= 5:
        return "评价等级须为 1–5 的整数"
    if data.get("channel") not in CHANNELS:
        return "评价渠道须为“窗口”或“评价器”"
    if not isinstance(data.get("matter_codes"), list) or not isinstance(data.get("reasons", []), list):
        return "事项编码和差评原因须为列表"
    if data["level"] <= 2 and not data.get("reasons") and not str(data.get("text", "")).strip():
        return "差评须说明原因"
    if len(str(data.get("text", ""))) > 2000:
        return "评价文字过长"
    return None


def routes(platform) -> list[Route]:
    async def post(request: Request) -> Response:
        body, principal, error = await platform._auth(request)
        if error:
            return error
        data = platform._json_body(body)
        problem = _problem(data)
        if problem:
            from houshi_desk.platform_ref.server import err

            return err(422, "invalid_evaluation", problem)

        def fn(principal):
            st = platform.store
            st.db.execute(SCHEMA)
            old = st.one("SELECT evaluation_id FROM evaluations WHERE evaluation_id = ?", data["evaluation_id"])
            if old is not None:
                st.bump("natural_duplicates")
                return 200, {}, {"evaluation_id": data["evaluation_id"], "duplicate": True}
            st.db.execute("INSERT INTO evaluations(evaluation_id, app_key, office, case_id, level, channel, body, "
                          "received_at) VALUES (?,?,?,?,?,?,?,?)",
                          (data["evaluation_id"], principal.app_key, principal.office, data["case_id"], data["level"],
                           data["channel"], json.dumps(data, ensure_ascii=False), time.time()))
            st.bump("evaluations")
            return 201, {}, {"evaluation_id": data["evaluation_id"]}

        return await platform._idempotent(request, body, principal, fn)

    return [Route(f"{API}/evaluations", post, methods=["POST"])]


def stored(platform) -> list[dict]:
    """Every evaluation the platform holds (tests, demo)."""
    st = platform.store
    with st.lock:
        st.db.execute(SCHEMA)
        return [dict(r) | {"body": json.loads(r["body"])} for r in st.q("SELECT * FROM evaluations ORDER BY received_at")]
