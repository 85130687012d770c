"""Region texts are data: a broken or incomplete template stops printing with a message that names
the file and the key, instead of printing a half document."""
from __future__ import annotations

import pytest

from houshi_desk.documents.texts import TemplateError, load_texts, printing_dir


def test_every_region_has_every_document():
    for region in ("nm", "nx"):
        for kind in ("application", "promise", "proxy", "notice", "receipt", "receipt-roll", "completion"):
            assert load_texts(region, kind)("title")


def test_missing_key_names_file_and_key(tmp_path):
    (tmp_path / "zz").mkdir()
    (tmp_path / "zz" / "promise.toml").write_text('title = "承诺书"\n', encoding="utf-8")
    t = load_texts("zz", "promise", tmp_path)
    with pytest.raises(TemplateError) as err:
        t("closing")
    assert "promise.toml" in err.value.message and "closing" in err.value.message


def test_bad_placeholder_and_broken_file(tmp_path):
    (tmp_path / "zz").mkdir()
    (tmp_path / "zz" / "receipt.toml").write_text('office = "机构：{agency}"\n', encoding="utf-8")
    with pytest.raises(TemplateError) as err:
        load_texts("zz", "receipt-roll", tmp_path)("office", office="x")
    assert "占位符" in err.value.message
    (tmp_path / "zz" / "notice.toml").write_text('title = "未闭合\n', encoding="utf-8")
    with pytest.raises(TemplateError) as err:
        load_texts("zz", "notice", tmp_path)
    assert "格式错误" in err.value.message


def test_unknown_region_says_so(tmp_path):
    with pytest.raises(TemplateError) as err:
        load_texts("xx", "promise", tmp_path)
    assert "没有打印模板" in err.value.message
    assert (printing_dir() / "README.md").is_file()
