"""seeds/ holds the five original sample articles byte for byte (they are the built-in corpus)."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import ROOT, SEEDS

ORIGINALS = ROOT.parent / "shared" / "seeds"
SHA256 = {
    "000_aa00d64e3f46041c.txt": "833746d51369679363864087dd6df46e4f9d984f72488c797d464c9a9fc979fc",
    "001_b45b558db81f4ae8.txt": "fada525126228dc1dec168dc9c78dfbd1a74a66ea49ef28b8e309f05e541bf7a",
    "002_f0f7a7e505135fc2.txt": "0b642666a5dbafa289972c84e9f7fc8b49e85990d957023330b7c4a8e6271ef9",
    "003_6a2ebac98f284586.txt": "3c036c920a20adb7fa1ea8f3f1bc2a085bba6d48830df43cfadcd2d015a04106",
    "004_831270dadd4525b8.txt": "32674aeccb53e8fd98be192e408894f0d926b0b992c6ec9a6e40223db48ee2bc",
}


def test_seeds_are_the_five_originals() -> None:
    found = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in SEEDS.glob("*")}
    assert found == SHA256


@pytest.mark.skipif(not ORIGINALS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_seeds_match_shared_originals_byte_for_byte() -> None:
    for original in ORIGINALS.glob("*.txt"):
        assert (SEEDS / original.name).read_bytes() == original.read_bytes(), original.name
    assert sorted(p.name for p in ORIGINALS.glob("*.txt")) == sorted(SHA256)
