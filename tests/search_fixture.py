"""A small real search index for the engine's node tests (tests/js/search.test.mjs).

    python tests/search_fixture.py OUT   # writes OUT/search-index/ and prints OUT

The data: the cut CDC tabular list (tests/fixtures/icd10cm/tabular.xml: cholera, typhoid,
diabetes, head injuries, femur fractures, complications of procedures), this repository's
codes and modifiers, tests/fixtures/search/synonyms.yaml and data/icd-10-cm-history/; the pages: this repository's content/.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import icd10cm, search  # noqa: E402
from generator.dataset import load_dataset  # noqa: E402


def build(out: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        icd10cm.import_tabular(ROOT / "tests" / "fixtures" / "icd10cm" / "tabular.xml", data)
        for name in ("codes.yaml", "modifiers-cpt.yaml", "modifiers-hcpcs.yaml"):
            shutil.copy(ROOT / "data" / name, data / name)
        shutil.copy(ROOT / "tests" / "fixtures" / "search" / "synonyms.yaml", data / "synonyms.yaml")
        # The release history marks E11.A (in the cut) as new in FY2026.
        shutil.copytree(ROOT / "data" / "icd-10-cm-history", data / "icd-10-cm-history")
        # Overlays and relations that point outside the cut are errors of this data set, not
        # of the index: the records still load.
        dataset = load_dataset(data, Path(tmp))
        search.write_index(dataset.catalog, ROOT / "content", out, data_dir=data)
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
