"""Would ONNX Runtime make the seed article faster?  Both models, torch vs onnxruntime, side by side.

    pip install -e '.[onnx]'
    python benchmarks/bench_onnxruntime.py --runs 10

An exploration, not a code path of the service.  Both models are exported from the same weights
(fp32) and, for the int8 rows, quantized with onnxruntime's dynamic per-channel int8.  The work is
the seed article's: the NLI pairs that retrieval chose and the texts the embedder reads.  Prints
the p50 time of each model per backend, and how far each backend's outputs are from the
service's shipped recipe (torch, row-wise int8).  Outputs that move that far need the
test-article check before they could ship (docs/benchmarks.md).

``--pipeline`` then puts each backend into the service's own pipeline (both models swapped in
the running ``Verifier``) and prints the seed's p50 and the test-article expectations met, as
``bench_verify.py`` counts them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from claimcheck.config import Settings  # noqa: E402
from claimcheck.inference.cpu import cpu_model  # noqa: E402
from claimcheck.pipeline.retrieval import texts_to_embed  # noqa: E402
from claimcheck.runtime import Runtime  # noqa: E402

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class _OrtModel:
    """Looks like the transformers model the service calls: ``model(**enc).<output>``, ``.config``."""

    def __init__(self, run, output: str, config) -> None:
        self.run, self.output, self.config = run, output, config

    def __call__(self, **enc):
        out = torch.from_numpy(self.run({k: enc[k].numpy() for k in INPUTS}))
        return type("Output", (), {self.output: out})()


def pipeline_rows(verifier, backends: dict, configs: tuple, seed: str, runs: int) -> None:
    from articles import ARTICLES, check

    from claimcheck.contract.payload import result_to_json

    print(f"CPU: {cpu_model()}")
    print("\n| backend in the pipeline | seed p50 ms | test-article expectations met |\n|---|---|---|")
    shipped = verifier.nli.model, verifier.embedder.model
    for name, (run_nli, run_emb) in backends.items():
        if name.startswith("onnxruntime"):
            verifier.nli.model = _OrtModel(run_nli, "logits", configs[0])
            verifier.embedder.model = _OrtModel(run_emb, "last_hidden_state", configs[1])
        elif name != "torch int8 (shipped)":
            continue  # torch fp32 in the pipeline is CLAIMCHECK_QUANTIZE=none python benchmarks/bench_verify.py
        ms = p50_ms(lambda: verifier.verify(seed), runs)
        results = [ok for case in ARTICLES for _, ok in check(case, result_to_json(verifier.verify(case["text"])))]
        print(f"| {name} | {ms:.0f} | {sum(results)}/{len(results)} |")
        verifier.nli.model, verifier.embedder.model = shipped


class _Outputs(torch.nn.Module):
    """Positional tensors in, one output tensor out: what the ONNX exporter traces."""

    def __init__(self, model, output: str) -> None:
        super().__init__()
        self.model, self.output = model, output

    def forward(self, input_ids, attention_mask, token_type_ids):
        return getattr(
            self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids), self.output
        )


def export(model, output: str, tokenizer, path: Path) -> None:
    sample = tokenizer(["a b"], return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    torch.onnx.export(
        _Outputs(model, output),
        tuple(sample[k] for k in INPUTS),
        str(path),
        input_names=list(INPUTS),
        output_names=[output],
        dynamic_axes=axes,
        opset_version=17,
        dynamo=False,
    )


def p50_ms(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--pipeline", action="store_true", help="also run each backend inside the service's pipeline")
    args = ap.parse_args()
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoModelForSequenceClassification

    warnings.simplefilter("ignore")
    runtime = Runtime.load(Settings.from_env(memo_entries=0))  # every backend computes its own outputs
    verifier = runtime.verifier
    nli, embedder = verifier.nli, verifier.embedder
    seed = (ROOT / "seeds" / "000_460de1b4d77b6b69.txt").read_text(encoding="utf-8")
    pairs: list[tuple[str, str]] = []
    predict = nli.predict
    nli.predict = lambda p, **kw: (pairs.extend(p), predict(p, **kw))[1]
    verifier.verify(seed)
    nli.predict = predict
    texts = list(dict.fromkeys(texts_to_embed(verifier._analyse(seed, verifier.options).sentences)))

    def nli_logits(run) -> np.ndarray:
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        out = np.zeros((len(pairs), 3), dtype=np.float32)
        for o in range(0, len(order), nli.batch_size):
            idx = order[o : o + nli.batch_size]
            enc = nli.tokenizer(
                [pairs[i][0] for i in idx],
                [pairs[i][1] for i in idx],
                padding=True,
                truncation=True,
                max_length=nli.max_tokens,
                return_tensors="np",
            )
            out[idx] = run(enc)
        return out

    def embeddings(run) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), embedder.model.config.hidden_size), dtype=np.float32)
        for o in range(0, len(order), embedder.batch_size):
            idx = order[o : o + embedder.batch_size]
            enc = embedder.tokenizer(
                [texts[i] for i in idx],
                padding=True,
                truncation=True,
                max_length=embedder.max_tokens,
                return_tensors="np",
            )
            mask = enc["attention_mask"][..., None].astype(np.float32)
            pooled = (run(enc) * mask).sum(1) / np.clip(mask.sum(1), 1e-9, None)
            out[idx] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out

    def torch_run(model, output):
        def run(enc):
            with torch.inference_mode():
                return getattr(model(**{k: torch.from_numpy(enc[k]) for k in INPUTS}), output).numpy()

        return run

    backends = {
        "torch int8 (shipped)": (torch_run(nli.model, "logits"), torch_run(embedder.model, "last_hidden_state"))
    }
    with tempfile.TemporaryDirectory() as tmp:

        def fp32():
            return (
                AutoModelForSequenceClassification.from_pretrained(
                    runtime.settings.nli_model, local_files_only=True, dtype=torch.float32
                ).eval(),
                AutoModel.from_pretrained(runtime.settings.embedder, local_files_only=True, dtype=torch.float32).eval(),
            )

        nli32, emb32 = fp32()
        backends["torch fp32"] = (torch_run(nli32, "logits"), torch_run(emb32, "last_hidden_state"))
        to_export = fp32()  # the exporter's tracing leaves a model unfit to run afterwards: export copies
        export(to_export[0], "logits", nli.tokenizer, Path(tmp) / "nli.onnx")
        export(to_export[1], "last_hidden_state", embedder.tokenizer, Path(tmp) / "emb.onnx")
        for name in ("nli", "emb"):
            quantize_dynamic(
                str(Path(tmp) / f"{name}.onnx"),
                str(Path(tmp) / f"{name}8.onnx"),
                weight_type=QuantType.QInt8,
                per_channel=True,
            )
        options = ort.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()
        # no busy-waiting between runs: in the pipeline torch and onnxruntime take turns on the same cores
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")

        def ort_run(file: str):
            session = ort.InferenceSession(str(Path(tmp) / file), options, providers=["CPUExecutionProvider"])
            return lambda enc: session.run(None, {k: enc[k].astype(np.int64) for k in INPUTS})[0]

        backends["onnxruntime fp32"] = (ort_run("nli.onnx"), ort_run("emb.onnx"))
        backends["onnxruntime int8"] = (ort_run("nli8.onnx"), ort_run("emb8.onnx"))

        def softmax(x):
            e = np.exp(x - x.max(1, keepdims=True))
            return e / e.sum(1, keepdims=True)

        ref_probs = softmax(nli_logits(backends["torch int8 (shipped)"][0]))
        ref_vecs = embeddings(backends["torch int8 (shipped)"][1])
        print(
            f"seed article: {len(pairs)} NLI pairs, {len(texts)} texts to embed, {torch.get_num_threads()} threads, "
            f"{args.runs} runs\n"
        )
        print(
            "| backend | NLI p50 ms | embedder p50 ms | sum | NLI max |Δp| vs shipped | NLI argmax agreement "
            "| embedder max |Δcos| vs shipped |"
        )
        print("|---|---|---|---|---|---|---|")
        for name, (run_nli, run_emb) in backends.items():
            nli_ms, emb_ms = (
                p50_ms(lambda run=run_nli: nli_logits(run), args.runs),
                p50_ms(lambda run=run_emb: embeddings(run), args.runs),
            )
            probs, vecs = softmax(nli_logits(run_nli)), embeddings(run_emb)
            print(
                f"| {name} | {nli_ms:.0f} | {emb_ms:.0f} | {nli_ms + emb_ms:.0f} "
                f"| {np.abs(probs - ref_probs).max():.3f} "
                f"| {(probs.argmax(1) == ref_probs.argmax(1)).mean():.1%} "
                f"| {np.abs(vecs @ vecs.T - ref_vecs @ ref_vecs.T).max():.3f} |"
            )
        if args.pipeline:
            pipeline_rows(verifier, backends, (nli32.config, emb32.config), seed, args.runs)


if __name__ == "__main__":
    sys.exit(main())
