"""Which materials an electronic licence from shared data may stand for is the seed's word: a
material's ``shared_basis`` cites its own region's seed lines (never "local"), the lines exist and
speak of sharing, and the loader refuses anything else."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from houshi_desk.domain.catalog import CatalogError, load_catalog, load_catalog_file

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
SEED_FILES = {"NM": "000_1fdbe066b8fe5447.txt", "NX": "002_e3bfe725e3a5245d.txt"}
SHARING_WORDS = ("共享", "电子证照", "联办系统信息", "联办平台")


def _seed_lines(seed: str) -> list[str]:
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SEEDS} is missing in CI")
        pytest.skip(reason=f"seeds folder {SEEDS} not beside the checkout")
    return (SEEDS / SEED_FILES[seed]).read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(("region", "seed"), [("nm", "NM"), ("nx", "NX")])
def test_shared_basis_cites_own_seed_lines_that_speak_of_sharing(region, seed):
    lines = _seed_lines(seed)
    shared = {code: m for code, m in load_catalog(region).materials.items() if m.shared_basis is not None}
    assert shared, region
    for code, m in shared.items():
        assert m.source == "申请人提供", code
        cited = m.shared_basis.seed_lines()
        assert cited and all(s == seed for s, _ in cited), code
        for _s, n in cited:
            assert 1 <= n <= len(lines) and lines[n - 1].strip(), f"{code}: {seed}:{n}"
        assert any(w in lines[n - 1] for _s, n in cited for w in SHARING_WORDS), \
            f"{code}: none of {m.shared_basis.cites} speaks of sharing"


def test_what_each_region_lets_a_licence_stand_for():
    nm = {c for c, m in load_catalog("nm").materials.items() if m.licence_accepted}
    nx = {c for c, m in load_catalog("nx").materials.items() if m.licence_accepted}
    # NM:225 (death certificates as electronic licences), NM:227 (火化证 pushed to the platform); the
    # 户口本, 驾驶证 and 社保卡 are on NM:231's list of materials with no word of sharing.
    assert nm == {"death_cert_medical", "death_cert_police", "cremation_cert"}
    # NX: NX:87/109 (death certificate online, 共享获取 by source); NX:83/91/103/113/140 for the rest.
    assert nx == {"death_cert_medical", "household_register", "driving_licence", "social_security_card",
                  "disability_card"}
    # never: identity cards read at the counter, the applicant's bank card, relationship proofs, and
    # NX's 非正常死亡证明 (NX:87: the family fetches it from the police station)
    for code in ("applicant_id_card", "deceased_id_card", "bank_card", "relationship_proof"):
        assert code not in nm | nx
    assert "death_cert_police" not in nx


@pytest.mark.parametrize(("entry", "problem"), [
    ('shared_basis = "local"', "shared_basis"),
    ('shared_basis = ["ext:某文号"]', "shared_basis"),
    ('shared_basis = []', "shared_basis"),
])
def test_the_loader_refuses_a_shared_basis_that_is_not_seed_lines(tmp_path, entry, problem):
    src = (Path(__file__).resolve().parents[2] / "resources" / "catalogs" / "nx-2025.toml").read_text(encoding="utf-8")
    bad = src.replace('shared_basis = ["NX:103", "NX:140"]', entry, 1)
    assert bad != src
    f = tmp_path / "nx-2099.toml"
    f.write_text(bad, encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog_file(f)
    assert problem in err.value.message and "social_security_card" in err.value.message


def test_the_loader_refuses_a_shared_basis_on_a_material_made_at_the_window(tmp_path):
    src = (Path(__file__).resolve().parents[2] / "resources" / "catalogs" / "nx-2025.toml").read_text(encoding="utf-8")
    bad = src.replace('[materials.application_form]\n', '[materials.application_form]\nshared_basis = ["NX:140"]\n', 1)
    f = tmp_path / "nx-2099.toml"
    f.write_text(bad, encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog_file(f)
    assert "申请人提供" in err.value.message
