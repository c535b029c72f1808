"""Every file loader, fed crafted hostile files and seeded mutations of valid ones, each loaded in a forked
child with a memory, CPU and wall-clock limit: a file loads, or is refused with an error naming it; nothing hangs,
crashes, runs code from the file, or grows memory past the limit. ``TENSORLET_FUZZ_FILES`` and
``TENSORLET_FUZZ_SEED`` change the default run; the ``slow`` test runs 3,000 files over three seeds."""
from __future__ import annotations

import os
import sys

import pytest

pytest.importorskip("h5py")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork, rlimits and /proc: Linux only")


def fuzz(tmp_path, files: int, seeds: list[int]) -> None:
    from tests.reliability import loader_fuzz as lf

    marker = tmp_path / "code-ran"
    seed_paths = lf.seed_files(tmp_path / "seeds")
    hostile = lf.hostile_files(tmp_path / "hostile", seed_paths, marker)
    jobs = list(hostile)
    for seed in seeds:
        jobs += lf.mutated_files(tmp_path / f"mutated{seed}", seed_paths, files // len(seeds), seed)
    results, base = lf.run(jobs)
    print("\n" + lf.summary(results, base))
    bad = [r for r in results if r["outcome"] in ("unclean", "hang", "crash")]
    assert not bad, "\n".join(f"{r['outcome']}: {r['kind']} ({r['what']}) {r['path']}: {r.get('error')}"
                              for r in bad[:20])
    loaded_hostile = [r for r in results[:len(hostile)] if r["outcome"] != "clean"]
    assert not loaded_hostile, [(r["what"], r["outcome"]) for r in loaded_hostile]
    assert not marker.exists(), "a file made the loader run code"
    assert max(r["rss_mib"] for r in results) < base + (lf.MEMORY_LIMIT >> 20)


def test_fuzzed_and_hostile_files_load_or_fail_cleanly(tmp_path):
    files = int(os.environ.get("TENSORLET_FUZZ_FILES", "180"))
    fuzz(tmp_path, files, [int(os.environ.get("TENSORLET_FUZZ_SEED", "0"))])


@pytest.mark.slow
def test_fuzzed_files_long_run(tmp_path):
    fuzz(tmp_path, 3000, [1, 2, 3])
