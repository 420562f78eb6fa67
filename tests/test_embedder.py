"""The embedder a directory holds: a transformer (MiniLM) or a static model2vec table, one interface."""

import numpy as np
import pytest

from claimcheck.config import Settings
from claimcheck.inference.embedder import SentenceEmbedder, StaticEmbedder, is_static, load_embedder

model2vec = pytest.importorskip("model2vec")


@pytest.fixture(scope="module")
def static_dir(tmp_path_factory):
    """A model2vec table over MiniLM's own tokenizer with random vectors: mechanics, not quality."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(__import__("pathlib").Path(Settings().embedder) / "tokenizer.json"))
    vectors = np.random.default_rng(0).normal(size=(tokenizer.get_vocab_size(), 16)).astype(np.float32)
    path = tmp_path_factory.mktemp("static")
    config = {"model_type": "model2vec", "architectures": ["StaticModel"], "normalize": True, "hidden_dim": 16}
    model2vec.StaticModel(vectors, tokenizer, config=config, normalize=True).save_pretrained(str(path))
    return path


def test_a_model2vec_directory_loads_as_a_static_embedder_and_minilm_as_a_transformer(static_dir):
    assert is_static(str(static_dir)) and not is_static(Settings().embedder)
    assert isinstance(load_embedder(str(static_dir), "none"), StaticEmbedder)
    assert isinstance(load_embedder(Settings().embedder, "none"), SentenceEmbedder)


def test_static_vectors_are_unit_length_and_never_depend_on_their_batch(static_dir):
    emb = load_embedder(str(static_dir), "none")
    texts = ["The minister resigned on Monday.", "Police said two people were hurt.", "x " * 300]
    alone = np.stack([emb.encode([t])[0] for t in texts])
    together = emb.encode(texts)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(alone, together)
    checked = []
    emb.encode(texts, before_batch=lambda: checked.append(True))
    assert checked  # the request's deadline is checked before the work, as for the transformer
