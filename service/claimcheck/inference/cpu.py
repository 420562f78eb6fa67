"""The processor, named the way ``lscpu`` names it, without importing torch (the load benchmarks use it)."""

from __future__ import annotations

import platform
from pathlib import Path


def cpu_model() -> str:
    """The processor's name and the ISA flags that decide the int8 kernels (from /proc/cpuinfo, as lscpu
    reads it): what every benchmark and doctor prints, since a figure means little without it."""
    name, flags = platform.processor() or platform.machine(), set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and value.strip():
                name = value.strip()
            elif key.strip() in ("flags", "Features"):
                flags = set(value.split())
                break
    except OSError:
        pass
    shown = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8", "asimddp", "i8mm") if f in flags]
    return f"{name} ({' '.join(shown) or 'no avx2/avx512/vnni flags'})"
