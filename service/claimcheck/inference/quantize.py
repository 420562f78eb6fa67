"""CPU inference recipes that give every text the same result whatever else is in its batch,
and the probe that picks the fastest of them on the machine that runs it.

torch's dynamic quantization (``quantize_dynamic``) picks one activation scale per *batch*.  A
pair's probabilities therefore depend on the other pairs it is batched with.  The seed article
batched with one other article changed some label or contradiction pair in 12 of 14 cases, and
a re-check that reused remembered results disagreed with a cold one.  The int8 recipes here scale
each row (token) on its own: int8 weights per output channel, int8 activations per row, an exact
integer product.  So a row's output depends only on that row.

Which integer kernel is fast depends on the CPU: ``torch._int_mm`` (private, in torch since 2.1;
pyproject pins torch below 2.14 and ``tests/test_quantize.py`` would catch a change) goes through
oneDNN where torch uses it (AVX-512 VNNI here) and otherwise falls back to a plain loop tens of
times slower than fp32 (issue 21: 58x on a Zen 3).  fbgemm's dynamic linear, what torch's own
dynamic quantization runs, is fast on AVX2 and AVX-512 alike; :class:`FbgemmRowwiseInt8Linear`
makes it per-row.  So ``auto`` (the default) measures instead of assuming (:func:`choose`).

Recipes (``CLAIMCHECK_QUANTIZE``):

* ``auto``: the fastest of :data:`AUTO_CANDIDATES` by a probe at load, where each candidate in turn
  must beat the pick so far by :data:`PICK_MARGIN` (fp32 is the reference the others approximate);
* ``int8``: every Linear row-wise int8 through ``torch._int_mm``;
* ``int8-fbgemm``: every Linear row-wise int8 (7-bit activations) through fbgemm;
* ``int8-dynamic``: torch's dynamic per-batch int8 with the feed-forward output projections kept
  in fp32, the 1.0 recipe, kept to measure against (not batch-invariant: ``auto`` never picks it);
* ``none``: fp32.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from claimcheck.config import QUANTIZE_RECIPES as RECIPES

log = logging.getLogger("claimcheck")


def int8_per_channel(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``weight`` (out, in) as int8 with one scale per output channel: (int8 weight, scales)."""
    scale = weight.abs().amax(dim=1).clamp(min=1e-8) / 127
    return torch.round(weight / scale[:, None]).clamp(-127, 127).to(torch.int8), scale


class _RowwiseLinear(torch.nn.Module):
    """A Linear whose activations are quantized per row (token): what the row-wise recipes share.

    Subclasses give :meth:`product`, the scaled product of a 2-D block of rows; reshaping and the bias
    are done here once.
    """

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__()
        self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().float().clone())

    bias: torch.Tensor | None

    def product(self, rows: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.product(x.reshape(-1, x.shape[-1]))
        if self.bias is not None:
            out = out + self.bias
        return out.reshape(*x.shape[:-1], out.shape[-1])


class RowwiseInt8Linear(_RowwiseLinear):
    """int8 weights (per output channel) and int8 activations scaled per row, through ``torch._int_mm``."""

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__(linear)
        weight_q, scale = int8_per_channel(linear.weight.detach().float())
        self.register_buffer("weight_q", weight_q.t().contiguous())  # (in, out): _int_mm's right operand
        self.register_buffer("weight_scale", scale)

    weight_q: torch.Tensor
    weight_scale: torch.Tensor

    def product(self, rows: torch.Tensor) -> torch.Tensor:
        scale = rows.abs().amax(dim=1, keepdim=True).clamp(min=1e-8) / 127
        rows_q = torch.round(rows / scale).clamp(-127, 127).to(torch.int8)
        return torch._int_mm(rows_q, self.weight_q).float() * scale * self.weight_scale


class FbgemmRowwiseInt8Linear(_RowwiseLinear):
    """Row-wise int8 through fbgemm, the kernel torch's dynamic quantization uses (fast on AVX2 too).

    fbgemm's dynamic linear picks one activation scale per call from the input's range.  Each row is
    quantized here first to integers in [-63, 63] with its own scale (7 bits: fbgemm's u8 x s8 pairs
    must not saturate int16 on AVX2, the reason torch's own recipe reduces the range), and one
    sentinel row holding +-63.5 is appended, so fbgemm's chosen scale is exactly 1 and its zero point
    64 for every call: the integers go through unchanged, the product is exact, and a row's result
    depends on that row only.  The sentinel's output row is dropped.
    """

    LEVEL = 63

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__(linear)
        weight_q, scale = int8_per_channel(linear.weight.detach().float())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # quantized-tensor constructors are marked deprecated in 2.13
            qweight = torch._make_per_channel_quantized_tensor(
                weight_q, scale.double(), torch.zeros(weight_q.shape[0], dtype=torch.long), 0
            )
            self._packed = torch.ops.quantized.linear_prepack(qweight, None)
        sentinel = torch.zeros(1, weight_q.shape[1])
        sentinel[0, 0], sentinel[0, 1 % weight_q.shape[1]] = self.LEVEL + 0.5, -(self.LEVEL + 0.5)
        self.register_buffer("sentinel", sentinel)

    sentinel: torch.Tensor

    def product(self, rows: torch.Tensor) -> torch.Tensor:
        scale = rows.abs().amax(dim=1, keepdim=True).clamp(min=1e-8) / self.LEVEL
        rows_q = torch.round(rows / scale).clamp(-self.LEVEL, self.LEVEL)
        return torch.ops.quantized.linear_dynamic(torch.cat([rows_q, self.sentinel]), self._packed, True)[:-1] * scale


ROWWISE_LAYERS: dict[str, type[_RowwiseLinear]] = {"int8": RowwiseInt8Linear, "int8-fbgemm": FbgemmRowwiseInt8Linear}


def fbgemm_available() -> bool:
    """fbgemm is built into torch's x86 wheels; ARM builds have qnnpack instead (no fbgemm recipe there)."""
    return "fbgemm" in torch.backends.quantized.supported_engines


def rowwise(model: torch.nn.Module, recipe: str = "int8") -> torch.nn.Module:
    """Every ``nn.Linear`` of ``model`` replaced, in place, by the row-wise layer of ``recipe``."""
    make = ROWWISE_LAYERS[recipe]
    for module in list(model.modules()):
        for name, child in list(module.named_children()):
            if isinstance(child, torch.nn.Linear):
                setattr(module, name, make(child))
    return model


def dynamic_int8(model: torch.nn.Module, keep_ffn_output: bool = True) -> torch.nn.Module:
    """torch's dynamic int8 (one activation scale per batch); feed-forward outputs fp32 by default.

    torch 2.13 marks ``torch.ao.quantization`` deprecated in favour of torchao; it still works.
    """
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    def keep_fp32(name: str) -> bool:
        return keep_ffn_output and name.endswith("output.dense") and "attention" not in name

    spec = {
        name: per_channel_dynamic_qconfig
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.Linear) and not keep_fp32(name)
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the torchao migration notice, once per load
        return quantize_dynamic(model, spec)


# --- the probe ---------------------------------------------------------------------------------
# the batch-invariant recipes ``auto`` chooses from, in order of preference: fbgemm's is fast on AVX2 and
# AVX-512 alike; _int_mm only where oneDNN serves it, and then it must beat fbgemm's by the margin too
AUTO_CANDIDATES = ("none", "int8-fbgemm", "int8")
PICK_MARGIN = 1.1  # a later candidate must be more than 10 % faster to replace the pick (fp32: the reference)
PROBE_ROWS = 256  # tokens in the probe's product: a few batches' worth, milliseconds on a fast kernel
MIN_SAVING_MS = 0.05  # and save this much per probe product: on a tiny model every recipe is noise-fast


@dataclass(frozen=True)
class KernelChoice:
    """What ``CLAIMCHECK_QUANTIZE`` asked for, what runs, and why (shown by /v1/model, /readyz, doctor)."""

    requested: str
    recipe: str
    reason: str
    cpu_capability: str
    probe_ms: dict[str, float] = field(default_factory=dict)  # recipe -> ms per probe product (auto only)


def cpu_capability() -> str:
    """The vector ISA torch dispatches to here: "AVX512", "AVX2", "DEFAULT" (ARM: "NO AVX"...)."""
    try:
        return str(torch.backends.cpu.get_cpu_capability())
    except Exception:  # pragma: no cover - older torch
        return "unknown"


def probe(hidden: int, intermediate: int, rows: int = PROBE_ROWS, repeats: int = 15) -> dict[str, float]:
    """Milliseconds per (rows x hidden) . (hidden x intermediate) product for each candidate recipe.

    The model's own feed-forward shape, random but seeded weights, one warm-up call each (oneDNN
    builds its primitive on the first), then ``repeats`` rounds that time the candidates in turn and
    keep each one's best: a burst of load from another process hits every candidate alike instead of
    the one that happened to be running, and 15 rounds (tens of milliseconds in all on a fast kernel)
    leave each candidate a quiet moment on a busy machine.  A candidate already 4x slower than fp32
    drops out after its first round: on a machine without its fast kernel one call is enough to know.
    """
    gen = torch.Generator().manual_seed(0)
    linear = torch.nn.Linear(hidden, intermediate)
    with torch.no_grad():
        linear.weight.copy_(torch.randn(intermediate, hidden, generator=gen) * 0.05)
    x = torch.randn(rows, hidden, generator=gen)
    layers: dict[str, torch.nn.Module] = {}
    with torch.inference_mode():
        for recipe in AUTO_CANDIDATES:
            if recipe == "int8-fbgemm" and not fbgemm_available():
                continue
            try:
                layers[recipe] = ROWWISE_LAYERS[recipe](linear) if recipe in ROWWISE_LAYERS else linear
                layers[recipe](x)  # warm-up
            except RuntimeError:  # a kernel this build or CPU does not have
                layers.pop(recipe, None)
        best = {recipe: float("inf") for recipe in layers}
        for _ in range(repeats):
            for recipe, layer in list(layers.items()):
                started = time.perf_counter()
                layer(x)
                best[recipe] = min(best[recipe], (time.perf_counter() - started) * 1000)
                if recipe != "none" and best[recipe] > 4 * best["none"]:
                    del layers[recipe]
    return {recipe: round(ms, 3) for recipe, ms in best.items()}


CHOICE_ENV = "CLAIMCHECK_KERNEL_CHOICE"  # auto's pick made once by a parent process, inherited by its workers


def share_choice(requested: str, model_dirs: list[str], threads: int) -> KernelChoice | None:
    """Probe once for a parent that will start workers (the gunicorn master before it forks, ``claimcheck
    batch`` before it starts processes or actors), with the workers' thread count, and leave the picks in
    the environment they inherit: every worker runs the same recipe (two workers probing at once on a busy
    machine could each pick a different one, and an article's labels would depend on which one answered).

    The probe runs in a child process: a parent that ran torch with threads and then forked would hand
    its workers a dead OpenMP pool (they hang at their first parallel op).  One pick per model shape among
    ``model_dirs`` (a static embedder has none).  Returns the first model's pick; None (with a warning,
    each worker then probes for itself) when the child fails.
    """
    shapes = [shape for shape in map(model_shape, model_dirs) if shape]
    if not shapes:
        return None
    if requested != "auto":
        return choose(requested, *shapes[0])
    code = (
        "import dataclasses, json, sys, torch\n"
        "from claimcheck.inference.quantize import choose\n"
        "torch.set_num_threads(int(sys.argv[1]))\n"
        "shapes = json.loads(sys.argv[2])\n"
        "print(json.dumps({f'{h}x{i}': dataclasses.asdict(choose('auto', h, i)) for h, i in shapes}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != CHOICE_ENV} | {"PYTHONPATH": os.pathsep.join(sys.path)}
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(threads), json.dumps(shapes)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        os.environ[CHOICE_ENV] = done.stdout.strip().splitlines()[-1]
    except (OSError, subprocess.SubprocessError, IndexError) as exc:
        stderr = getattr(exc, "stderr", "") or ""
        log.warning("kernel probe failed; each worker probes for itself", extra={"error": f"{exc} {stderr[-500:]}"})
        return None
    return _inherited(*shapes[0])


def _inherited(hidden: int, intermediate: int) -> KernelChoice | None:
    try:
        shared = json.loads(os.environ.get(CHOICE_ENV) or "{}").get(f"{hidden}x{intermediate}")
        if shared and shared["recipe"] in AUTO_CANDIDATES:
            return KernelChoice(**shared)
    except (ValueError, TypeError, KeyError, AttributeError):
        pass  # not set, or not ours: probe here
    return None


@functools.lru_cache(maxsize=8)
def _auto(hidden: int, intermediate: int, threads: int) -> KernelChoice:
    """fp32, then each int8 recipe in :data:`AUTO_CANDIDATES` order, replaces the current pick only when
    it is more than ``PICK_MARGIN`` faster: two kernels within noise of each other do not make the
    labels depend on which one a busy machine happened to time faster."""
    inherited = _inherited(hidden, intermediate)
    if inherited is not None:
        return inherited
    timings = probe(hidden, intermediate)
    recipe = "none"
    for candidate in AUTO_CANDIDATES[1:]:
        faster = candidate in timings and timings[candidate] * PICK_MARGIN < timings[recipe]
        if faster and timings[recipe] - timings[candidate] >= MIN_SAVING_MS:
            recipe = candidate
    if recipe == "none":
        reason = f"no int8 kernel is more than {round((PICK_MARGIN - 1) * 100)} % faster than fp32 here"
    else:
        reason = f"{recipe} is {timings['none'] / timings[recipe]:.1f}x faster than fp32 here"
    return KernelChoice("auto", recipe, reason, cpu_capability(), timings)


def choose(requested: str, hidden: int, intermediate: int) -> KernelChoice:
    """The recipe to run: ``requested`` as asked, or for ``auto`` the probe's pick (once per process
    and shape: the NLI model and the embedder share it when their shapes agree)."""
    if requested not in RECIPES:
        raise ValueError(f"unknown quantization recipe {requested!r}; expected one of {', '.join(RECIPES)}")
    if requested == "auto":
        return _auto(hidden, intermediate, torch.get_num_threads())
    return KernelChoice(requested, requested, "set by CLAIMCHECK_QUANTIZE", cpu_capability())


def config_shape(config: dict[str, Any]) -> tuple[int, int] | None:
    """(hidden, intermediate) of a transformer's config, the product the probe times (None: not a
    transformer, e.g. a static embedder).  One reading for a directory and for a loaded model alike."""
    if "hidden_size" not in config:
        return None
    return int(config["hidden_size"]), int(config.get("intermediate_size", 4 * config["hidden_size"]))


def model_shape(model_dir: str) -> tuple[int, int] | None:
    """:func:`config_shape` of a model directory's config.json, without loading the weights."""
    return config_shape(json.loads((Path(model_dir) / "config.json").read_text(encoding="utf-8")))


def prepare(model: torch.nn.Module, requested: str) -> tuple[torch.nn.Module, KernelChoice]:
    """``model`` (eval mode, fp32) prepared by the recipe :func:`choose` picks, and that choice."""
    config: Any = getattr(model, "config", None)
    shape = config_shape(config.to_dict())
    if shape is None:
        raise ValueError(f"{type(model).__name__} has no hidden_size in its config: not a transformer to quantize")
    choice = choose(requested, *shape)
    return quantize(model, choice.recipe), choice


def quantize(model: torch.nn.Module, recipe: str) -> torch.nn.Module:
    """``model`` (in eval mode, fp32) prepared for CPU inference by one recipe (``auto`` is resolved by
    :func:`choose` first: :func:`prepare` does both)."""
    if recipe in ROWWISE_LAYERS:
        return rowwise(model, recipe)
    if recipe == "int8-dynamic":
        return dynamic_int8(model)
    if recipe == "none":
        return model
    known = ", ".join(r for r in RECIPES if r != "auto")
    raise ValueError(f"unknown quantization recipe {recipe!r}; expected one of {known} (auto: see choose)")
