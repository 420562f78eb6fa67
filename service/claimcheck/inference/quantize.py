"""int8 inference on CPU that gives every text the same result whatever else is in its batch.

torch's dynamic quantization (``quantize_dynamic``) picks one activation scale per *batch*.  A
pair's probabilities therefore depend on the other pairs it is batched with.  The seed article
batched with one other article changed some label or contradiction pair in 12 of 14 cases, and
a re-check that reused remembered results disagreed with a cold one.  :class:`RowwiseInt8Linear`
scales each row (token) on its own: int8 weights per output channel, int8 activations per row,
and an exact int32 product (``torch._int_mm``: private, in torch since 2.1; pyproject pins torch
below 2.14 and ``tests/test_quantize.py`` would catch a change).  So a row's output depends only
on that row.  It is faster than torch's dynamic int8 and closer to fp32 (docs/benchmarks.md).

Recipes (``CLAIMCHECK_QUANTIZE``):

* ``int8``: every Linear row-wise int8 (the default);
* ``int8-dynamic``: torch's dynamic per-batch int8 with the feed-forward output projections kept
  in fp32, the 1.0 recipe, kept to measure against;
* ``none``: fp32.
"""

from __future__ import annotations

import warnings

import torch

from claimcheck.config import QUANTIZE_RECIPES as RECIPES


class RowwiseInt8Linear(torch.nn.Module):
    """A Linear with int8 weights (per output channel) and int8 activations scaled per row."""

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__()
        weight = linear.weight.detach().float()
        scale = weight.abs().amax(dim=1).clamp(min=1e-8) / 127
        self.register_buffer(
            "weight_q", torch.round(weight / scale[:, None]).clamp(-127, 127).to(torch.int8).t().contiguous()
        )  # (in, out): _int_mm's right operand
        self.register_buffer("weight_scale", scale)
        self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().float().clone())

    weight_q: torch.Tensor
    weight_scale: torch.Tensor
    bias: torch.Tensor | None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, x.shape[-1])
        scale = rows.abs().amax(dim=1, keepdim=True).clamp(min=1e-8) / 127
        rows_q = torch.round(rows / scale).clamp(-127, 127).to(torch.int8)
        out = torch._int_mm(rows_q, self.weight_q).float() * scale * self.weight_scale
        if self.bias is not None:
            out = out + self.bias
        return out.reshape(*x.shape[:-1], out.shape[-1])


def rowwise_int8(model: torch.nn.Module) -> torch.nn.Module:
    """Every ``nn.Linear`` of ``model`` replaced, in place, by :class:`RowwiseInt8Linear`."""
    for module in list(model.modules()):
        for name, child in list(module.named_children()):
            if isinstance(child, torch.nn.Linear):
                setattr(module, name, RowwiseInt8Linear(child))
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


def quantize(model: torch.nn.Module, recipe: str) -> torch.nn.Module:
    """``model`` (in eval mode, fp32) prepared for CPU inference by one of :data:`RECIPES`."""
    if recipe == "int8":
        return rowwise_int8(model)
    if recipe == "int8-dynamic":
        return dynamic_int8(model)
    if recipe == "none":
        return model
    raise ValueError(f"unknown quantization recipe {recipe!r}; expected one of {', '.join(RECIPES)}")
