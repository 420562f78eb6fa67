"""The distillation recipe's mechanics on a tiny model: which layers the student keeps, and that
a GPU run's trained tensors plus the teacher's frozen embeddings rebuild the same model here."""

import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.distill import FROZEN, assemble, save_student, student_from_teacher  # noqa: E402


@pytest.fixture()
def teacher(tiny_model_dir):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(tiny_model_dir, local_files_only=True).eval()
    return model, AutoTokenizer.from_pretrained(tiny_model_dir, local_files_only=True)


def test_student_keeps_the_chosen_teacher_layers_in_order(teacher):
    model, _ = teacher
    student = student_from_teacher(model, [1])
    assert student.config.num_hidden_layers == 1 and model.config.num_hidden_layers == 2
    kept, source = student.bert.encoder.layer[0], model.bert.encoder.layer[1]
    assert torch.equal(kept.attention.self.query.weight, source.attention.self.query.weight)
    assert torch.equal(student.classifier.weight, model.classifier.weight)
    assert model.config.id2label == student.config.id2label  # the label order travels with the weights


def test_trained_tensors_and_teacher_embeddings_rebuild_the_student(teacher, tiny_model_dir, tmp_path):
    model, tokenizer = teacher
    student = student_from_teacher(model, [0]).eval()
    with torch.no_grad():
        student.bert.encoder.layer[0].output.dense.weight.add_(0.5)  # "training" changed a layer
    save_student(student, tokenizer, tmp_path)
    from safetensors import safe_open

    with safe_open(str(tmp_path / "trained.safetensors"), framework="pt") as f:
        assert not any(name.endswith(FROZEN) for name in f.keys())  # the big matrix never travels back
    (tmp_path / "student_config.json").unlink()  # a GPU run returns the tensors only
    rebuilt = assemble(tmp_path, str(tiny_model_dir))
    from transformers import AutoModelForSequenceClassification

    again = AutoModelForSequenceClassification.from_pretrained(rebuilt, local_files_only=True).eval()
    enc = tokenizer(["The bridge opened in May."], ["The bridge is closed."], return_tensors="pt")
    with torch.no_grad():
        assert torch.allclose(again(**enc).logits, student(**enc).logits, atol=1e-2)  # fp16 round trip
