"""Segmentation cost against paragraph length: it must grow linearly (issue: 1.1.0 took 0.54 / 2.18 / 8.81 s).

    python -m benchmarks.bench_segment [--runs 3]

One paragraph of 400 / 800 / 1,600 ordinary sentences, two sentence shapes (ending in a word, ending
in a number), and the full first stages (segmentation + parse + attribution) for the same texts.
Prints the seconds and the ratio to the 400-sentence case side by side: linear is 1 / 2 / 4.
"""

from __future__ import annotations

import argparse
import statistics
import time

from claimcheck.config import Settings
from claimcheck.inference.cpu import cpu_model
from claimcheck.inference.parser import SpacyParser
from claimcheck.pipeline.attribution import attribute_text
from claimcheck.pipeline.segment import segment

SHAPES = {
    "ends in a word": "The council met on {i} occasions and approved the plan.",
    "ends in a number": "The council met on day {i}.",
}


def best_of(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times) if runs < 3 else statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    parser = SpacyParser(Settings().parser)
    print(f"CPU: {cpu_model()}")
    print("| stage | sentence shape | 400 s | 800 s | 1,600 s | ratio 800/400 | ratio 1,600/400 |")
    print("|---|---|---|---|---|---|---|")
    for stage, run in (("segment()", segment), ("segment + parse + attribute", lambda t: attribute_text(t, parser))):
        for shape, fmt in SHAPES.items():
            texts = [" ".join(fmt.format(i=i) for i in range(n)) for n in (400, 800, 1600)]
            secs = [best_of(lambda t=t, run=run: run(t), args.runs) for t in texts]
            print(
                f"| {stage} | {shape} | {secs[0]:.2f} | {secs[1]:.2f} | {secs[2]:.2f} "
                f"| {secs[1] / secs[0]:.1f} | {secs[2] / secs[0]:.1f} |"
            )


if __name__ == "__main__":
    main()
