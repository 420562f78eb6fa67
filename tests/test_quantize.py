"""The int8 recipe: close to fp32, and a row's result never depends on the rest of its batch."""

import pytest
import torch

from claimcheck.inference.quantize import RowwiseInt8Linear, quantize


@pytest.fixture()
def linear():
    torch.manual_seed(0)
    return torch.nn.Linear(64, 32)


def test_rowwise_int8_is_close_to_fp32(linear):
    x = torch.randn(10, 7, 64)
    exact, approx = linear(x), RowwiseInt8Linear(linear)(x)
    assert approx.shape == exact.shape
    assert (approx - exact).norm() / exact.norm() < 0.02


def test_a_row_gets_the_same_output_alone_or_beside_an_outlier(linear):
    q = RowwiseInt8Linear(linear)
    row = torch.randn(1, 64)
    outlier = torch.randn(1, 64) * 1000  # would set a per-batch activation scale on its own
    assert torch.equal(q(row), q(torch.cat([row, outlier]))[:1])
    dynamic = quantize(torch.nn.Sequential(linear), "int8-dynamic")  # torch's per-batch scale: it does move
    assert not torch.equal(dynamic(row), dynamic(torch.cat([row, outlier]))[:1])


def test_recipes_replace_what_they_say(linear):
    model = torch.nn.Sequential(linear, torch.nn.ReLU(), torch.nn.Linear(32, 3))
    assert all(isinstance(m, RowwiseInt8Linear) for m in quantize(model, "int8") if not isinstance(m, torch.nn.ReLU))
    plain = torch.nn.Sequential(torch.nn.Linear(4, 2))
    assert quantize(plain, "none") is plain
    with pytest.raises(ValueError, match="int8-dynamic"):
        quantize(plain, "int4")
