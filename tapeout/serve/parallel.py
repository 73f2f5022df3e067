"""Tensor parallelism over packages (Megatron-LM: Shoeybi et al., "Megatron-LM: Training Multi-Billion
Parameter Language Models Using Model Parallelism", arXiv:1909.08053, 2019, section 3).

Each of ``tp`` packages holds 1/tp of every weight matrix: a share of the attention heads (Q, K, V
column-split, the output projection row-split) and of the feed-forward width; two all-reduces per
layer (after the attention output and after the down projection) sum the partial results. With fewer
KV heads than packages (GQA), each package keeps a copy of the one KV head its query heads share.

All-reduce time, message S bytes over p packages: the reduce-scatter + all-gather data volume,
2 (p - 1) / p x S, sent at the link bandwidth of one direction (both directions are busy at once),
plus one hop of latency: through an NVSwitch-like crossbar every package is one hop from every other
(seed: ../shared/seed/000_ecfe29b84823e440.txt, "GB200 NVL72": "Every GPU equidistant: 1 hop, ~2 us"),
so a one-shot all-reduce of a small message costs one hop.
"""

from __future__ import annotations

from .errors import ServeError
from .models import TransformerModel


def check_tensor_parallel(model: TransformerModel, tp: int) -> None:
    """Raise :class:`ServeError` unless ``tp`` packages can share ``model``'s heads evenly."""
    if isinstance(tp, bool) or not isinstance(tp, int) or tp < 1:
        raise ServeError(f"tensor parallelism must be a positive integer, not {tp!r}")
    if model.heads % tp:
        divisors = [d for d in range(1, model.heads + 1) if model.heads % d == 0]
        raise ServeError(f"--tp {tp} does not divide {model.name}'s {model.heads} attention heads; "
                         f"use one of {', '.join(map(str, divisors))}")
    if tp > model.kv_heads and tp % model.kv_heads:
        raise ServeError(f"--tp {tp} cannot share {model.name}'s {model.kv_heads} KV heads: above "
                         f"{model.kv_heads} it must be a multiple of {model.kv_heads}")


def kv_heads_per_package(model: TransformerModel, tp: int) -> int:
    """KV heads one package holds (1 when the KV heads are fewer than the packages: replicated)."""
    return max(1, model.kv_heads // tp)


def all_reduce_wire_bytes(message_bytes: float, tp: int) -> float:
    """Bytes one package sends (and receives) in an all-reduce of ``message_bytes`` over ``tp``."""
    return 2 * (tp - 1) / tp * message_bytes if tp > 1 else 0.0
