"""The [serve] section of a design, and the command-line values that override it.

```toml
[serve]
model = "llama-2-70b"        # a preset (llama-2-7b, llama-2-70b, llama-3-8b) ...
layers = 0                   # ... with any of its shape changed (0 keeps the preset's): layers, hidden,
                             #     heads, kv_heads, ffn, vocab, max_context
weight_bits = 16             # FP16/BF16 weights; 8 for FP8/INT8
kv_bits = 16                 # KV-cache elements
act_bits = 16                # activations; the GEMMs run at max(weight_bits, act_bits)
batches = [1, 8, 64]         # batch sizes to report
prompt_tokens = 2048
output_tokens = 256
tp = 2                       # tensor parallelism over this many packages
compute_utilization = 0.75   # derates (see tapeout/serve/roofline.py)
bandwidth_utilization = 0.90
memory_reserve = 0.10        # HBM kept back for activations and workspace
link_gbps_per_phy = 100.0    # GB/s per NVLink-like PHY of [package] nvlink_phys, both directions
link_latency_us = 2.0        # one hop through the switch
```
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from tapeout.errors import UsageError
from tapeout.flow.schema import Choice, Float, Int, Spec, setting

from .errors import ServeError
from .kv_cache import DEFAULT_MEMORY_RESERVE
from .models import PRESETS, SHAPE_KEYS, TransformerModel, model_preset, with_shape
from .parallel import check_tensor_parallel
from .roofline import DEFAULT_BANDWIDTH_UTILIZATION, DEFAULT_COMPUTE_UTILIZATION, Derates

MAX_BATCH = 1 << 20
MAX_TOKENS = 1 << 24

NVLINK5_GBPS_PER_LINK = 100.0
"""GB/s of one NVLink 5 link, both directions (seed: ../shared/seed/000_ecfe29b84823e440.txt: "NVLink 5
(B200): 18 links x 100 GB/s = 1,800 GB/s"); NVLink 4 (H100) is 50 GB/s per link."""
HOP_LATENCY_US = 2.0
"""One hop through an NVSwitch-like crossbar (seed, "GB200 NVL72": "Every GPU equidistant: 1 hop, ~2 us")."""


@dataclass(frozen=True)
class BatchList(Spec):
    """A non-empty list of batch sizes, each from 1 to ``hi``."""

    hi: int = MAX_BATCH

    def describe(self):
        return f"a list of batch sizes, integers from 1 to {self.hi}"

    def check(self, value):
        ok = isinstance(value, list) and value and all(
            isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= self.hi for v in value)
        if not ok:
            self.fail(value)
        return tuple(value)


@dataclass(frozen=True)
class ServeSection:
    """[serve]: the model served on the packaged chip and how (see the module docstring)."""

    model: str = setting(Choice(tuple(PRESETS)), "llama-2-7b", doc="model preset")
    layers: int = setting(Int(0, 1024), 0, doc="decoder layers; 0 = the preset's")
    hidden: int = setting(Int(0, 1 << 17), 0, doc="model width; 0 = the preset's")
    heads: int = setting(Int(0, 4096), 0, doc="attention (query) heads; 0 = the preset's")
    kv_heads: int = setting(Int(0, 4096), 0, doc="key/value heads (GQA); 0 = the preset's")
    ffn: int = setting(Int(0, 1 << 20), 0, doc="feed-forward width; 0 = the preset's")
    vocab: int = setting(Int(0, 1 << 22), 0, doc="vocabulary; 0 = the preset's")
    max_context: int = setting(Int(0, MAX_TOKENS), 0, doc="context window (tokens); 0 = the preset's")
    weight_bits: int = setting(Int(1, 32, "bits"), 16, doc="bits per weight")
    kv_bits: int = setting(Int(1, 32, "bits"), 16, doc="bits per KV-cache element")
    act_bits: int = setting(Int(1, 32, "bits"), 16, doc="bits per activation")
    batches: tuple[int, ...] = setting(BatchList(), (1, 8, 64), doc="batch sizes to report")
    prompt_tokens: int = setting(Int(1, MAX_TOKENS, "tokens"), 2048, doc="prompt length")
    output_tokens: int = setting(Int(1, MAX_TOKENS, "tokens"), 256, doc="output length")
    tp: int = setting(Int(1, 4096), 1, doc="tensor parallelism: packages sharing the model")
    compute_utilization: float = setting(Float(0.0, 1.0, lo_open=True), DEFAULT_COMPUTE_UTILIZATION,
                                         doc="fraction of peak compute kernels reach")
    bandwidth_utilization: float = setting(Float(0.0, 1.0, lo_open=True), DEFAULT_BANDWIDTH_UTILIZATION,
                                           doc="fraction of HBM bandwidth kernels reach")
    memory_reserve: float = setting(Float(0.0, 0.9), DEFAULT_MEMORY_RESERVE,
                                    doc="share of HBM kept for activations and workspace")
    link_gbps_per_phy: float = setting(Float(0.0, 1e5, "GB/s"), NVLINK5_GBPS_PER_LINK,
                                       doc="bandwidth of one NVLink-like PHY, both directions")
    link_latency_us: float = setting(Float(0.0, 1e4, "us"), HOP_LATENCY_US, doc="latency of one hop")

    def check(self, design_path) -> list[str]:
        """Rules between keys: a consistent model shape and a tp that divides its heads."""
        try:
            check_tensor_parallel(model_of(self), self.tp)
        except ServeError as exc:
            return [str(exc).replace("--tp", "tp")]
        return []

    @property
    def derates(self) -> Derates:
        return Derates(self.compute_utilization, self.bandwidth_utilization)


def model_of(section: ServeSection) -> TransformerModel:
    """The preset of ``section`` with its shape and precision keys applied."""
    return with_shape(model_preset(section.model), **{k: getattr(section, k) for k in SHAPE_KEYS})


def parse_batches(text: str) -> tuple[int, ...]:
    """'1,8,64' -> (1, 8, 64); anything else is a one-line :class:`UsageError`."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        values = tuple(int(p) for p in parts)
    except ValueError:
        raise UsageError(f"--batch must be a comma-separated list of batch sizes such as 1,8,64, "
                         f"not {text!r}") from None
    bad = [v for v in values if not 1 <= v <= MAX_BATCH]
    if bad:
        raise UsageError(f"--batch sizes must be from 1 to {MAX_BATCH}, not {bad[0]}")
    return values


def apply_options(section: ServeSection, options: dict) -> ServeSection:
    """``section`` with the command line's --model, --batch, --prompt, --output and --tp applied
    (None: not given); bad values are one-line :class:`UsageError`."""
    changes = {}
    if options.get("model") is not None:
        if options["model"] not in PRESETS:
            raise UsageError(f"unknown model {options['model']!r}; known models: {', '.join(PRESETS)}")
        changes["model"] = options["model"]
    if options.get("batch") is not None:
        changes["batches"] = parse_batches(options["batch"])
    for option, key in (("prompt", "prompt_tokens"), ("output", "output_tokens")):
        value = options.get(option)
        if value is not None:
            if not 1 <= value <= MAX_TOKENS:
                raise UsageError(f"--{option} must be from 1 to {MAX_TOKENS:,} tokens, not {value}")
            changes[key] = value
    if options.get("tp") is not None:
        changes["tp"] = options["tp"]
    result = dataclasses.replace(section, **changes)
    try:
        check_tensor_parallel(model_of(result), result.tp)
    except ServeError as exc:
        raise UsageError(str(exc)) from None
    return result
