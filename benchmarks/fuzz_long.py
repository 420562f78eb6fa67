"""The API fuzz test, longer and with a seed of your choice (CI runs a fixed, bounded one).

    python benchmarks/fuzz_long.py --examples 2000 --seed 7          # tiny random model: fast, mechanics only
    python benchmarks/fuzz_long.py --examples 500 --real-model      # the shipped model, slower

Same checks as ``tests/test_fuzz.py``: schemathesis sends valid and invalid requests built from
the service's own ``/openapi.json`` to every operation, in-process; a 5xx, an answer that
disagrees with the spec, or an invalid request that is accepted stops the run with the failing
case.  Prints the requests sent per operation and mode.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers import make_tiny_nli_model  # noqa: E402
from test_fuzz import fuzz_service  # noqa: E402

from claimcheck import create_app  # noqa: E402
from claimcheck.config import DEFAULT_NLI_MODEL  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=2000, help="generated requests per POST operation and mode")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--real-model", action="store_true", help="the shipped model instead of a tiny random one")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        model = DEFAULT_NLI_MODEL if args.real_model else make_tiny_nli_model(Path(tmp))
        app = create_app({"nli_model": str(model), "log_level": "warning"})
        started = time.perf_counter()
        sent = fuzz_service(app, args.examples, args.seed)
    print(
        f"{sum(sent.values())} requests in {time.perf_counter() - started:.0f} s, seed {args.seed}: "
        "no 5xx, no spec violation, every invalid request rejected"
    )
    for name, count in sent.items():
        print(f"  {name}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
