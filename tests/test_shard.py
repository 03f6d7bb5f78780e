"""A catalog built in shares (a CI matrix of N jobs, `build --shard K/N`) and joined
with `merge` is the catalog one build makes, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO, run_cli

from decisionaid.publish.plan import Shard


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_three_shards_merged_are_one_build_byte_for_byte(examples: Path, tmp_path: Path):
    shards = [tmp_path / f"shard-{k}" for k in (1, 2, 3)]
    for k, out in enumerate(shards, 1):
        result = run_cli("build", "--root", str(REPO), "--out", str(out), "--shard", f"{k}/3")
        assert result.exit_code == 0, result.output
    merged = tmp_path / "merged"
    assert run_cli("merge", *map(str, shards), "--out", str(merged)).exit_code == 0
    result = run_cli("build", "--root", str(REPO), "--out", str(merged))  # the catalog
    assert result.exit_code == 0 and "Built 0 aids" in result.output, result.output
    assert tree(merged) == tree(examples)


def test_a_share_is_stable_and_the_shares_cover_every_aid_once():
    names = [Path(f"aids/{name}.yaml") for name in ("a", "b", "knee", "knee.es", "x.ar", "zz")]
    for count in (1, 2, 3, 5):
        shares = [Shard(k, count) for k in range(1, count + 1)]
        owners = [[s.number for s in shares if s.takes(path)] for path in names]
        assert all(len(owner) == 1 for owner in owners), (count, owners)
    assert Shard.parse("2/3") == Shard(2, 3)


def test_a_share_that_is_not_k_of_n_is_a_usage_error(tmp_path: Path):
    for bad in ("0/3", "4/3", "1", "a/b", "1/0"):
        result = run_cli("build", "--root", str(REPO), "--out", str(tmp_path), "--shard", bad)
        assert result.exit_code == 2 and "--shard" in result.output, bad


@pytest.mark.parametrize("text", ["１/２", "٣/٤", "²/3", "1/" + "9" * 22, "0/3", "4/3", "1/1001"])
def test_a_share_is_written_in_ascii_digits_within_reason(root: Path, text: str):
    """`--shard` takes K/N in 0-9 only (str.isdigit also takes full-width, Arabic-Indic
    and superscript digits), with a sane N, and says what to write, never a traceback."""
    result = run_cli("build", "--root", str(root), "--out", str(root / "out"), "--shard", text)
    assert result.exit_code == 2
    assert "is not a share: write K/N in digits 0-9" in result.output
    assert not (root / "out").exists()


def test_shares_of_two_checkouts_are_refused_before_anything_is_written(root: Path, tmp_path: Path):
    """Each share's manifest records what the build was made from; a share built after
    the glossary changed is not joined to one built before (each would be current in its
    own way, the catalog in none)."""
    aid = (root / "aids" / "test-aid.yaml").read_text(encoding="utf-8")
    (root / "aids" / "second-aid.yaml").write_text(
        aid.replace("id: test-aid", "id: second-aid"), encoding="utf-8"
    )
    owners = {
        k: [p for p in (root / "aids").glob("*.yaml") if Shard(k, 2).takes(p)] for k in (1, 2)
    }
    assert all(owners.values()), owners  # each share has an aid
    shares = [tmp_path / "share-1", tmp_path / "share-2"]
    assert (
        run_cli("build", "--root", str(root), "--out", str(shares[0]), "--shard", "1/2").exit_code
        == 0
    )
    glossary = root / "glossary" / "en.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert (
        run_cli("build", "--root", str(root), "--out", str(shares[1]), "--shard", "2/2").exit_code
        == 0
    )
    merged = tmp_path / "merged"
    result = run_cli("merge", *map(str, shares), "--out", str(merged))
    assert result.exit_code == 2, result.output
    assert "were built from different content" in result.output
    assert not merged.exists() or not any(merged.iterdir())
    # the same share built again from the content as it is now joins
    assert (
        run_cli("build", "--root", str(root), "--out", str(shares[0]), "--shard", "1/2").exit_code
        == 0
    )
    result = run_cli("merge", *map(str, shares), "--out", str(merged))
    assert result.exit_code == 0, result.output
    # and OUT, once it holds aids, is a share like the others
    glossary.write_text(glossary.read_text(encoding="utf-8") + "# again\n", encoding="utf-8")
    assert (
        run_cli("build", "--root", str(root), "--out", str(shares[1]), "--shard", "2/2").exit_code
        == 0
    )
    result = run_cli("merge", str(shares[1]), "--out", str(merged))
    assert result.exit_code == 2 and "different content" in result.output, result.output
