"""``houshi-desk scan``: scan to a file, scan or import straight into a case's material, list scanners.

    houshi-desk scan --list
    houshi-desk scan --source test:0 --out page.pdf [--resolution 200] [--mode gray|color|lineart] [--feeder [--pages N]]
    houshi-desk scan --source test:0 --case NO --material CODE [...]
    houshi-desk scan --import FILE [FILE ...] --case NO --material CODE
    houshi-desk scan --export --case NO --material CODE --out FILE.pdf
    houshi-desk scan --collect        (remove page files no case refers to, older than an hour)
    houshi-desk scan --crosscheck --case NO   (read the death proof / 火化证 back and compare, [ocr] extra)
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scan", help="扫描或导入材料（扫描仪、文件），保存为文件或附加到案件",
                       description="扫描或导入材料页面。")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--source", metavar="DEVICE", help="扫描仪名称（如 test:0；Windows 上 wia），见 --list")
    what.add_argument("--import", dest="import_files", metavar="FILE", nargs="+", type=Path,
                      help="导入文件：PDF、JPEG、PNG、TIFF（可多页）、BMP")
    what.add_argument("--list", action="store_true", help="列出本机可用的扫描仪")
    what.add_argument("--export", action="store_true", help="把案件某材料的全部页面导出为一个 PDF（配合 --out）")
    what.add_argument("--crosscheck", action="store_true",
                      help="识别案件中死亡证明、火化证/墓位使用证的扫描页，与录入内容核对（需安装 OCR 组件）")
    what.add_argument("--collect", action="store_true",
                      help="清理没有被任何案件引用、且超过 1 小时的页面文件（扫描或保存失败时留下的）")
    p.add_argument("--out", metavar="FILE", type=Path, help="输出文件：.pdf（多页）、.tif（多页）、.png、.jpg")
    p.add_argument("--case", metavar="NO", help="受理编号：把页面附加到该案件")
    p.add_argument("--material", metavar="CODE", help="材料代码，如 death_cert_medical、household_register")
    p.add_argument("--resolution", type=int, default=None, help="扫描分辨率 dpi（默认取设置，200）")
    p.add_argument("--mode", choices=("gray", "color", "lineart"), default=None, help="色彩：灰度/彩色/黑白")
    p.add_argument("--feeder", action="store_true", help="使用自动进纸器连续扫描，直到纸张用完")
    p.add_argument("--pages", type=int, default=None, help="进纸器应扫描的页数（不足时报错、不保存）")
    p.add_argument("--raw", action="store_true", help="不裁边、不纠偏、不压缩（仅 --out）")
    p.add_argument("--accept-quality", metavar="REASON", default=None,
                   help="页面未通过质量检查（全黑、空白、模糊、分辨率不足、被截断等）时仍附加到案件的理由（记入审计）")
    p.set_defaults(func=handle)


def handle(args) -> int:
    from houshi_desk.config import load_settings
    from houshi_desk.scanning.errors import ScanError
    from houshi_desk.users.cli_support import logged_in

    from houshi_desk.users import Permission
    from houshi_desk.users.cli_support import require_login_token

    if args.list:  # names devices only: no login needed
        return _list()
    settings = load_settings()
    # Everything else handles a family's papers: only the logged-in account, who is the actor.
    require_login_token(settings, Permission.CASE_VIEW if args.export or args.crosscheck else Permission.CASE_CREATE)
    if args.collect:
        return _collect(settings)
    if args.crosscheck:
        if not args.case:
            raise ScanError("核对需要给出 --case 受理编号。")
        return _crosscheck(settings, args)
    if args.export:
        if not (args.case and args.material and args.out):
            raise ScanError("导出需要同时给出 --case、--material 和 --out。")
        return _export(settings, args)
    to_case = bool(args.case or args.material)
    if to_case and not (args.case and args.material):
        raise ScanError("附加到案件需要同时给出 --case 受理编号 和 --material 材料代码。")
    if not to_case and not args.out:
        raise ScanError("请用 --out 文件 指定保存位置，或用 --case 和 --material 附加到案件。")
    with logged_in(Permission.CASE_CREATE, settings):
        pass  # the login is checked in full before the scanner runs, not only after the pages are in
    from houshi_desk.scanning.pipeline import PipelineOptions

    mode = args.mode or settings.scanning_mode
    resolution = args.resolution or PipelineOptions.scan_resolution(settings)
    if args.import_files:
        from houshi_desk.scanning.fileimport import read_path

        pages = [p for f in args.import_files for p in read_path(f)]
        source = "import"
    else:
        pages, source = _scan(args.source, resolution, mode, args.feeder, args.pages)
    if to_case:
        return _attach(settings, args, pages, source, mode)
    return _write(args.out, pages, PipelineOptions.for_settings(settings, mode=mode), raw=args.raw, source=source)


def _list() -> int:
    from houshi_desk.scanning.sources import list_all

    devices = list_all()
    if not devices:
        print("没有找到扫描仪。可用 --import 导入文件。")
        return 1
    for d in devices:
        print(f"{d.name}\t{d.label}\t{d.kind}")
    return 0


def _collect(settings) -> int:
    from houshi_desk.scanning.attach import referenced_files
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.users import Permission
    from houshi_desk.users.cli_support import logged_in

    with logged_in(Permission.CASE_CREATE, settings) as (settings, store, _user):
        with store.session() as s:
            referenced = referenced_files(s)
    removed = FileStore.for_settings(settings).collect(referenced)
    print(f"已清理 {len(removed)} 个未被引用的页面文件。")
    return 0


def _scan(device: str, resolution: int, mode: str, feeder: bool, pages: int | None):
    from houshi_desk.scanning.source import ScanRequest
    from houshi_desk.scanning.sources import open_source

    request = ScanRequest(resolution=resolution, mode=mode, feeder=feeder, pages=pages)
    src = open_source(device)
    try:
        got = src.scan(request, on_page=lambda p: print(f"已扫描第 {p.index + 1} 页", file=sys.stderr))
    except KeyboardInterrupt:
        src.cancel()
        raise
    finally:
        src.close()
    return got, src.name


def _attach(settings, args, pages, source: str, mode: str) -> int:
    from houshi_desk.scanning.attach import attach_pages, material_name
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.scanning.pipeline import PipelineOptions
    from houshi_desk.services.cases import get_case_row
    from houshi_desk.users import Permission, check_case_access
    from houshi_desk.users.cli_support import logged_in

    from houshi_desk.audit import record
    from houshi_desk.scanning.attach import prepare
    from houshi_desk.scanning.errors import ImageRejected
    from houshi_desk.scanning.quality import audit_detail, check_pages, describe

    raws = pages
    options = PipelineOptions.for_settings(settings, mode=mode)
    pages = prepare(raws, options)
    flagged = check_pages(pages, source, raws=raws)  # the quality gate, before anything is stored
    reason = (args.accept_quality or "").strip()
    if flagged and not reason:
        raise ImageRejected(
            "页面未通过质量检查，没有保存：\n" + describe(flagged)
            + "\n请重新扫描；如确需保存这些页面，请加 --accept-quality \"理由\"（将记入审计）。")
    with logged_in(Permission.CASE_CREATE, settings) as (settings, store, user):
        files = FileStore.for_settings(settings)
        with store.session(write=True) as s:
            case_row = get_case_row(s, args.case)
            check_case_access(user, case_row)
            rows = attach_pages(s, files, args.case, args.material, pages, source,
                                options=options, actor=user.username)
            if flagged:
                record(s, actor=user.username, action="quality_accept", case_number=case_row.number,
                       detail=audit_detail(args.material, flagged, reason))
            total = len(rows[0].material.files) if rows else 0
            number = rows[0].material.case.number if rows else args.case
    kb = sum(r.size for r in rows) // 1024
    print(f"已保存 {len(rows)} 页（{kb} KB，已加密）到案件 {number} 的“{material_name(args.material)}”，该材料现有 {total} 页。")
    return 0


def _crosscheck(settings, args) -> int:
    """Exit 0: everything read matches; 1: a mismatch (or OCR not installed, said in one sentence)."""
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.services.cases import get_case_row
    from houshi_desk.services.crosscheck import crosscheck_case
    from houshi_desk.users import Permission, check_case_access
    from houshi_desk.users.cli_support import logged_in

    running = {}
    with logged_in(Permission.CASE_VIEW, settings) as (settings, store, user):
        with store.session() as s:
            check_case_access(user, get_case_row(s, args.case))
        try:
            result = crosscheck_case(
                store, FileStore.for_settings(settings), args.case, actor=user.username,
                on_start=lambda run: running.setdefault("run", run),
                on_progress=lambda done, total: print(f"已识别第 {done}/{total} 页", file=sys.stderr))
        except KeyboardInterrupt:
            if "run" in running:
                running["run"].cancel()
            raise
    if result.unavailable:
        print(result.unavailable)
        return 1
    if not result.checks:
        print("案件中没有可核对的死亡证明、火化证或墓位使用证页面，或未能从页面上读出内容。请人工核对。")
        return 1
    for c in result.mismatches:
        print(f"✗ {c.sentence}（{c.material}，{c.where}）")
    for c in result.matches:
        print(f"✓ {c.sentence}")
    if result.unread:
        print("未能读出：" + "、".join(result.unread) + "。请人工核对这些内容。")
    print(f"核对结果已记入案件审计记录：一致 {len(result.matches)} 项，不一致 {len(result.mismatches)} 项。")
    return 1 if result.mismatches else 0


def _export(settings, args) -> int:
    from houshi_desk.scanning.attach import find_material
    from houshi_desk.scanning.export import material_export
    from houshi_desk.audit import record
    from houshi_desk.scanning.filestore import FileStore
    from houshi_desk.services.cases import get_case_row
    from houshi_desk.users import Permission, check_case_access
    from houshi_desk.users.cli_support import logged_in

    with logged_in(Permission.CASE_VIEW, settings) as (settings, store, user):
        with store.session(write=True) as s:
            check_case_access(user, get_case_row(s, args.case))
            material = find_material(s, args.case, args.material)
            export = material_export(s, FileStore.for_settings(settings), material)
            pdf = export.data
            record(s, actor=user.username, action="export", case_number=material.case.number,
                   detail=f"导出材料 {args.material} 的 PDF（{len(material.files)} 页）")
    _atomic_write(args.out, pdf)
    print(f"已导出 {args.out}" + ("（PDF/A-2b 归档格式）" if export.pdfa else f"。{export.note}"))
    return 0


def _write(out: Path, pages, options, *, raw: bool, source: str = "") -> int:
    import io

    from houshi_desk.scanning.attach import prepare
    from houshi_desk.scanning.errors import ScanError
    from houshi_desk.scanning.pdfimages import images_pdf
    from houshi_desk.scanning.pipeline import PipelineOptions, decode

    from dataclasses import replace

    opts = replace(options, crop=not raw, orient=not raw, deskew=not raw, clean=not raw,
                   max_dpi=10_000 if raw else options.max_dpi)
    processed = prepare(pages, opts)
    if not raw:  # saving to a file is the clerk's own business: the quality gate only warns here
        from houshi_desk.scanning.quality import check_pages, describe

        flagged = check_pages(processed, source, raws=pages)
        if flagged:
            print("注意：以下页面未通过质量检查，附加到案件前请重新扫描：\n" + describe(flagged), file=sys.stderr)
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        if any(p.mime == "application/pdf" for p in processed):
            raise ScanError("导入的 PDF 请直接使用原文件，或用 --case/--material 附加到案件。")
        _atomic_write(out, images_pdf([(p.data, p.dpi) for p in processed]))
    elif suffix in (".tif", ".tiff", ".png", ".jpg", ".jpeg"):
        images = [decode(p.data) for p in processed]
        fmt = {".tif": "TIFF", ".tiff": "TIFF", ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}[suffix]
        targets = [out] if len(images) == 1 or fmt == "TIFF" else \
            [out.with_name(f"{out.stem}-{i:03d}{out.suffix}") for i in range(1, len(images) + 1)]
        for target, chunk in zip(targets, [images] if fmt == "TIFF" else [[im] for im in images]):
            buf = io.BytesIO()
            first = chunk[0].convert("RGB") if fmt == "JPEG" and chunk[0].mode not in ("L", "RGB") else chunk[0]
            dpi = processed[0].dpi or 200
            kw = {"save_all": True, "append_images": chunk[1:], "compression": "tiff_lzw"} if fmt == "TIFF" else {}
            first.save(buf, fmt, dpi=(dpi, dpi), **kw)
            _atomic_write(target, buf.getvalue())
        out = targets[0] if len(targets) == 1 else targets
    else:
        raise ScanError(f"不支持的输出格式“{suffix or out.name}”，请用 .pdf、.tif、.png 或 .jpg。")
    print(f"已保存 {len(processed)} 页：{out}")
    return 0


def _atomic_write(path: Path, data: bytes) -> None:
    """A failed or interrupted write never leaves a half file under the name asked for."""
    from houshi_desk.scanning.errors import StorageError

    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise StorageError(f"无法写入 {path}：{exc.strerror or exc}。请检查磁盘空间和目录权限。") from exc
    finally:
        if tmp:
            try:
                os.unlink(tmp)
            except OSError:
                pass
