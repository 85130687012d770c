"""Input files the commands read (a case's JSON): size and nesting limited *before* parsing, and every
way a file can be wrong answered with a Chinese sentence (a HoushiError, exit 2), never a traceback.

Not a command: it has no ``register``, so ``cli.build_parser`` passes it over.
"""
from __future__ import annotations

import json
from pathlib import Path

from houshi_desk.errors import HoushiError

MAX_CASE_FILE_BYTES = 1024 * 1024  # a case's JSON is a few KB; 1 MiB leaves room for long notes
MAX_NESTING = 16  # sample_case_dict nests 3 deep


class InputFileError(HoushiError):
    """A file given on the command line that cannot be used as it is."""


def nesting_depth(text: str, limit: int) -> int:
    """The deepest ``[``/``{`` nesting in JSON ``text`` (strings skipped), stopping once past ``limit``:
    Python's json module recurses per level, so a deep file must be refused before it is parsed."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def read_json_file(path: Path, *, what: str = "案件文件", max_bytes: int = MAX_CASE_FILE_BYTES,
                   max_depth: int = MAX_NESTING) -> dict:
    """The JSON object in ``path``; InputFileError (exit 2, with what to do) for anything else."""
    path = Path(path)
    try:
        if path.is_dir():
            raise InputFileError(f"{what}“{path}”是一个文件夹，不是文件。请给出 JSON 文件本身的路径，例如 {path / 'case.json'}。")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputFileError(f"{what}“{path}”太大（{size / 1024 / 1024:.1f} MB），不超过 {max_bytes // 1024} KB 才能读取。"
                                 "请检查是否选错了文件。")
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputFileError(f"找不到{what}：{path}。请检查路径和文件名。") from None
    except PermissionError:
        raise InputFileError(f"没有权限读取{what}：{path}。请检查文件权限。") from None
    except OSError as exc:
        raise InputFileError(f"无法读取{what} {path}：{exc.strerror or exc}。请检查文件是否完好。") from None
    if len(raw) > max_bytes:  # grew while being read, or not a regular file
        raise InputFileError(f"{what}“{path}”太大，不超过 {max_bytes // 1024} KB 才能读取。请检查是否选错了文件。")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(f"{what}“{path}”不是 UTF-8 编码的文本。请用 UTF-8 保存后重试。") from None
    if nesting_depth(text, max_depth) > max_depth:
        raise InputFileError(f"{what}“{path}”的层次嵌套太深（超过 {max_depth} 层），不是有效的案件文件。请检查文件内容。")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        where = f"第 {exc.lineno} 行第 {exc.colno} 列" if isinstance(exc, json.JSONDecodeError) else "内容"
        raise InputFileError(f"{what}“{path}”不是有效的 JSON（{where}有误）。请检查括号、引号和逗号。") from None
    if not isinstance(data, dict):
        raise InputFileError(f"{what}“{path}”应为一个 JSON 对象（以 {{ 开头），实际是{_kind(data)}。请参照 README 中的样例。")
    return data


def _kind(value) -> str:
    return {list: "数组", str: "字符串", int: "数字", float: "数字", bool: "真假值", type(None): "null"}.get(type(value), "其他内容")
