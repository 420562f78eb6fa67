"""Distil the shipped NLI model into a shallower student (fewer encoder layers, same width).

    python -m training.distill --teacher models/claimcheck-nli-minilm-l6 --layers 0,1,2 \
        --data training/work/train.jsonl.gz,training/work/stage2.jsonl.gz --out training/work/distill_L3

Why: NLI is ~80 % of a request's time and it is compute-bound (about 0.1 ms a token on 2 cores
in int8), so the only large speed-up left is a model with fewer layers.  The student starts as a
copy of the teacher with only ``--layers`` kept, then learns the teacher's soft probabilities
(KL at temperature ``T``) mixed with the gold labels (cross-entropy), on the same data the teacher
was trained on.  The word embeddings stay frozen: the student keeps the teacher's vocabulary
space, and a run on a lent GPU only has to send back the trained tensors (``trained.safetensors``,
fp16, ~11 MB for 3 layers); ``--assemble`` rebuilds the full model next to the teacher here.

Runs on CPU or CUDA (bf16 autocast there); seeded; one JSON log line per ``log_every`` steps in
``<out>/train.log``.  ``--eval FILE`` (JSON lines with ``premise``, ``hypothesis``, ``label``,
``set``: see ``--make-eval``) prints teacher and student accuracy per set and their agreement.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import gzip
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

from training.train import LABELS, adamw, epoch_batches, load_pairs, log_line, start_run

FROZEN = "embeddings.word_embeddings.weight"


@dataclass
class DistillConfig:
    teacher: str = "models/claimcheck-nli-minilm-l6"
    layers: str = "0,1,2"  # teacher encoder layers the student keeps, in order
    data: str = "training/work/train.jsonl.gz,training/work/stage2.jsonl.gz"
    out: str = "training/work/distill"
    epochs: float = 3.0
    batch_size: int = 64
    lr: float = 1e-4
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    temperature: float = 2.0
    alpha: float = 0.7  # weight of the teacher's soft targets; 1 - alpha on the gold labels
    max_length: int = 128
    seed: int = 13
    log_every: int = 200
    threads: int = 0
    limit: int = 0  # first N pairs of each data file (smoke tests)


def layer_indices(spec: str) -> list[int]:
    return [int(x) for x in spec.split(",") if x.strip()]


def student_from_teacher(teacher, keep: list[int]):
    """A copy of ``teacher`` with only the encoder layers in ``keep`` (renumbered 0..n-1)."""
    config = copy.deepcopy(teacher.config)
    config.num_hidden_layers = len(keep)
    student = AutoModelForSequenceClassification.from_config(config)
    prefix = f"{teacher.base_model_prefix}.encoder.layer."
    state = {}
    for name, tensor in teacher.state_dict().items():
        if name.startswith(prefix):
            index, rest = name[len(prefix) :].split(".", 1)
            if int(index) not in keep:
                continue
            name = f"{prefix}{keep.index(int(index))}.{rest}"
        state[name] = tensor.clone()
    missing, unexpected = student.load_state_dict(state, strict=False)
    assert not unexpected and not [m for m in missing if "position_ids" not in m], (missing, unexpected)
    return student


def distill(cfg: DistillConfig) -> Path:
    out, device = start_run(cfg)
    autocast = (
        torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else torch.autocast("cpu", enabled=False)
    )

    rows = [r for path in cfg.data.split(",") for r in load_pairs(path, cfg.limit)]
    teacher = (
        AutoModelForSequenceClassification.from_pretrained(cfg.teacher, local_files_only=True, dtype=torch.float32)
        .to(device)
        .eval()
    )
    tokenizer = AutoTokenizer.from_pretrained(cfg.teacher, local_files_only=True)
    student = student_from_teacher(teacher, layer_indices(cfg.layers)).to(device).train()
    order = [next(i for i, l in teacher.config.id2label.items() if l.lower() == name) for name in LABELS]
    label_id = {l: order[i] for i, l in enumerate(LABELS)}  # gold label -> the model's own index

    for name, p in student.named_parameters():
        p.requires_grad = not name.endswith(FROZEN)
    trainable = [(n, p) for n, p in student.named_parameters() if p.requires_grad]
    optim = adamw(trainable, cfg.lr, cfg.weight_decay)
    batches = epoch_batches(rows, cfg.batch_size, cfg.epochs, cfg.seed)
    total = len(batches)
    sched = get_linear_schedule_with_warmup(optim, int(total * cfg.warmup_ratio), total)

    log = open(out / "train.log", "a")
    t0, acc_loss, agree, n = time.time(), 0.0, 0.0, 0
    for step, batch in enumerate(batches, start=1):
        enc = tokenizer(
            [r["premise"] for r in batch],
            [r["hypothesis"] for r in batch],
            truncation="only_first",
            max_length=cfg.max_length,
            padding=True,
            return_tensors="pt",
        ).to(device)
        gold = torch.tensor([label_id[r["label"]] for r in batch], device=device)
        with autocast:
            with torch.no_grad():
                t_logits = teacher(**enc).logits.float()
            s_logits = student(**enc).logits.float()
        T = cfg.temperature
        kd = (
            torch.nn.functional.kl_div(
                torch.log_softmax(s_logits / T, -1), torch.softmax(t_logits / T, -1), reduction="batchmean"
            )
            * T
            * T
        )
        loss = cfg.alpha * kd + (1 - cfg.alpha) * torch.nn.functional.cross_entropy(s_logits, gold)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for _, p in trainable], 1.0)
        optim.step()
        sched.step()
        optim.zero_grad()
        acc_loss += loss.item()
        agree += (s_logits.argmax(-1) == t_logits.argmax(-1)).float().mean().item()
        n += 1
        if step % cfg.log_every == 0 or step == total:
            rec = {
                "step": step,
                "total": total,
                "loss": round(acc_loss / n, 4),
                "agree_teacher": round(agree / n, 4),
                "lr": sched.get_last_lr()[0],
                "s_per_step": round((time.time() - t0) / n, 4),
            }
            log_line(log, rec)
            t0, acc_loss, agree, n = time.time(), 0.0, 0.0, 0
    student = student.float().eval().cpu()
    save_student(student, tokenizer, out)
    return out


def save_student(student, tokenizer, out: Path) -> None:
    """``final/`` (the whole model) and ``trained.safetensors`` (fp16, everything but the frozen embeddings)."""
    from safetensors.torch import save_file

    student.save_pretrained(out / "final")
    tokenizer.save_pretrained(out / "final")
    trained = {
        n: t.detach().half().contiguous()
        for n, t in student.state_dict().items()
        if not n.endswith(FROZEN) and "position_ids" not in n
    }
    save_file(trained, str(out / "trained.safetensors"))
    (out / "student_config.json").write_text(student.config.to_json_string())


def assemble(run: Path, teacher_dir: str) -> Path:
    """Rebuild ``<run>/final`` from ``trained.safetensors`` + the teacher's frozen word embeddings."""
    from safetensors.torch import load_file

    teacher = AutoModelForSequenceClassification.from_pretrained(
        teacher_dir, local_files_only=True, dtype=torch.float32
    )
    state = {n: t.float() for n, t in load_file(str(run / "trained.safetensors")).items()}
    if (run / "student_config.json").exists():
        config = AutoConfig.from_pretrained(str(run / "student_config.json"), local_files_only=True)
    else:  # only the tensors came back (a GPU run): the teacher's config with the student's depth
        config = copy.deepcopy(teacher.config)
        config.num_hidden_layers = len(
            {n.split(".encoder.layer.")[1].split(".")[0] for n in state if ".encoder.layer." in n}
        )
    student = AutoModelForSequenceClassification.from_config(config)
    frozen = next(n for n in teacher.state_dict() if n.endswith(FROZEN))
    state[frozen] = teacher.state_dict()[frozen]
    missing, unexpected = student.load_state_dict(state, strict=False)
    assert not unexpected and not [m for m in missing if "position_ids" not in m], (missing, unexpected)
    student.eval().save_pretrained(run / "final")
    AutoTokenizer.from_pretrained(teacher_dir, local_files_only=True).save_pretrained(run / "final")
    return run / "final"


def make_eval(nli: Path, out: Path, per_set: int, seed: int) -> int:
    """A compact, seeded sample of the held-out sets (for a GPU run, where ../shared is not)."""
    from training.data import EVAL_SETS
    from training.evaluate import generated_eval_sets, load_eval_set

    rng = random.Random(seed)
    sets = {
        name: load_eval_set(nli, name, rel)
        for name, (rel, binary) in EVAL_SETS.items()
        if not binary and name in ("mnli_m", "mnli_mm", "snli_test", "breaking_nli", "fnc1_test")
    }
    sets.update(generated_eval_sets(nli, per_set // 4, seed))
    n = 0
    with gzip.open(out, "wt", encoding="utf-8") as fh:
        for name, pairs in sets.items():
            for p in rng.sample(pairs, min(per_set, len(pairs))):
                fh.write(
                    json.dumps({"premise": p.premise, "hypothesis": p.hypothesis, "label": p.label, "set": name}) + "\n"
                )
                n += 1
    return n


@torch.inference_mode()
def compare(eval_file: str, models: dict[str, str]) -> dict[str, dict[str, float]]:
    """Accuracy per set for each model directory, and agreement with the first (the teacher)."""
    rows = load_pairs(eval_file)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    preds: dict[str, list[int]] = {}
    for name, path in models.items():
        model = (
            AutoModelForSequenceClassification.from_pretrained(path, local_files_only=True, dtype=torch.float32)
            .to(device)
            .eval()
        )
        tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
        to_ours = {i: LABELS.index(l.lower()) for i, l in model.config.id2label.items()}
        out = []
        for i in range(0, len(rows), 128):
            chunk = rows[i : i + 128]
            enc = tok(
                [r["premise"] for r in chunk],
                [r["hypothesis"] for r in chunk],
                truncation="only_first",
                max_length=256,
                padding=True,
                return_tensors="pt",
            ).to(device)
            out += [to_ours[int(j)] for j in model(**enc).logits.argmax(-1).tolist()]
        preds[name] = out
    gold = [LABELS.index(r["label"]) for r in rows]
    first = next(iter(preds))
    table: dict[str, dict[str, float]] = {}
    for name, pred in preds.items():
        row: dict[str, float] = {}
        for s in dict.fromkeys(r["set"] for r in rows):
            idx = [i for i, r in enumerate(rows) if r["set"] == s]
            row[s] = round(sum(pred[i] == gold[i] for i in idx) / len(idx), 3)
        row["agree_teacher"] = round(sum(a == b for a, b in zip(pred, preds[first])) / len(pred), 3)
        table[name] = row
    return table


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for f in dataclasses.fields(DistillConfig):
        ap.add_argument("--" + f.name.replace("_", "-"), type=type(f.default), default=f.default)
    ap.add_argument("--assemble", action="store_true", help="rebuild <out>/final from trained.safetensors")
    ap.add_argument("--make-eval", type=Path, help="write a compact eval sample here (needs --nli) and exit")
    ap.add_argument("--nli", type=Path, default=Path("../shared/nli"))
    ap.add_argument("--eval", default="", help="compact eval file: compare teacher and student after training")
    args = vars(ap.parse_args(argv))
    assemble_only, make_eval_to, nli, eval_file = (args.pop(k) for k in ("assemble", "make_eval", "nli", "eval"))
    cfg = DistillConfig(**args)
    if make_eval_to:
        print(f"wrote {make_eval(nli, make_eval_to, 1000, cfg.seed)} pairs to {make_eval_to}")
        return
    run = Path(cfg.out)
    if assemble_only:
        print(assemble(run, cfg.teacher))
    else:
        distill(cfg)
    if eval_file:
        print(json.dumps(compare(eval_file, {"teacher": cfg.teacher, "student": str(run / "final")})), flush=True)


if __name__ == "__main__":
    main()
