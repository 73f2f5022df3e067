"""The operations of one forward step of a transformer on one package, with FLOPs and bytes.

A step feeds ``new`` tokens of each of ``batch`` sequences whose KV cache already holds ``context``
tokens: prefill is one step with new = prompt, context = 0; each decode step has new = 1. Per layer
(``count`` = layers), on one of ``tp`` packages (see :mod:`.parallel`), with T = batch x new tokens:

=============== ======================================= =================================================
operation        shape (M x K x N) / what                FLOPs (2 per multiply-add)
=============== ======================================= =================================================
qkv_projection   T x hidden x (Hq + 2 Hkv) d             2 M K N
attention        QK^T and PV over the causal keys        4 batch Hq d keys, keys = new context + new(new+1)/2
out_projection   T x Hq d x hidden                       2 M K N
all_reduce       T x hidden activations (tp > 1, twice)  -
ffn_gate_up      T x hidden x 2 ffn/tp                   2 M K N
ffn_down         T x ffn/tp x hidden                     2 M K N
=============== ======================================= =================================================

and once per step: the embedding lookup (T rows read) and the LM head on the last token of each
sequence (batch x hidden x vocab/tp). Norms, rotary embedding, softmax and sampling are element-wise
work next to these and are left out.

HBM bytes of a GEMM: with an on-chip buffer of S bytes, the smaller of activations (M K) and weights
(K N) is held, a block of S/2 bytes at a time, and the larger streams past each block once:
held + larger x ceil(held / (S/2)) + the M N outputs written. Attention holds each sequence's queries
the same way and streams its K and V (FlashAttention, Dao et al. 2022, section 3.1): queries and
outputs once, the new tokens' K and V written once, the cache read once per block of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from .models import TransformerModel
from .parallel import all_reduce_wire_bytes, kv_heads_per_package

PHASES = ("prefill", "decode")


@dataclass(frozen=True)
class Operation:
    """One operation of a step, per instance; ``count`` instances per step (per layer: ``layers``).

    kind is "gemm", "attention", "all_reduce" or "lookup"; m, k, n are a GEMM's shape (0 otherwise);
    flops and hbm_bytes are per instance; link_bytes are the bytes one package sends in an all-reduce.
    """

    name: str
    kind: str
    count: int
    flops: float
    hbm_bytes: float
    link_bytes: float = 0.0
    m: int = 0
    k: int = 0
    n: int = 0

    @property
    def intensity(self) -> float:
        """FLOPs per HBM byte."""
        return self.flops / self.hbm_bytes if self.hbm_bytes else float("inf")


def passes(held_bytes: float, buffer_bytes: float) -> int:
    """Times the streamed operand goes by when ``held_bytes`` are kept S/2 bytes at a time."""
    if buffer_bytes <= 0:
        raise ValueError(f"buffer_bytes must be positive, not {buffer_bytes!r}")
    return max(1, ceil(held_bytes / (buffer_bytes / 2)))


def gemm(name: str, m: int, k: int, n: int, count: int, weight_bytes: float, act_bytes: float,
         buffer_bytes: float) -> Operation:
    """Activations (m x k) times weights (k x n); bytes per element given."""
    weights, inputs, outputs = k * n * weight_bytes, m * k * act_bytes, m * n * act_bytes
    held, streamed = sorted((weights, inputs))
    traffic = held + streamed * passes(held, buffer_bytes) + outputs
    return Operation(name, "gemm", count, 2.0 * m * k * n, traffic, m=m, k=k, n=n)


def attention_flops_bytes(model: TransformerModel, tp: int, batch: int, new: int, context, act_bits: int,
                          buffer_bytes: float):
    """FLOPs and HBM bytes of one layer's attention on one package; ``context`` may be a numpy array
    (one value per decode step)."""
    a, kv = act_bits / 8, model.kv_bits / 8
    d, hq, hkv = model.head_dim, model.heads // tp, kv_heads_per_package(model, tp)
    tokens = batch * new
    keys = new * context + new * (new + 1) // 2
    kv_read = batch * (context + new) * 2 * hkv * d * kv
    q_per_sequence = new * hq * d * a
    flops = 4.0 * batch * hq * d * keys
    traffic = 2 * tokens * hq * d * a + tokens * 2 * hkv * d * kv + kv_read * passes(q_per_sequence, buffer_bytes)
    return flops, traffic


def step_operations(model: TransformerModel, tp: int, batch: int, new: int, context: int,
                    act_bits: int, buffer_bytes: float) -> list[Operation]:
    """The operations of one step on one package (see the module docstring)."""
    w, a = model.weight_bits / 8, act_bits / 8
    d, hq, hkv = model.head_dim, model.heads // tp, kv_heads_per_package(model, tp)
    tokens, hidden, layers = batch * new, model.hidden, model.layers
    flops, traffic = attention_flops_bytes(model, tp, batch, new, context, act_bits, buffer_bytes)
    ops = [
        Operation("embedding", "lookup", 1, 0.0, tokens * hidden * w),
        gemm("qkv_projection", tokens, hidden, (hq + 2 * hkv) * d, layers, w, a, buffer_bytes),
        Operation("attention", "attention", layers, flops, traffic),
        gemm("out_projection", tokens, hq * d, hidden, layers, w, a, buffer_bytes),
        gemm("ffn_gate_up", tokens, hidden, 2 * ceil(model.ffn / tp), layers, w, a, buffer_bytes),
        gemm("ffn_down", tokens, ceil(model.ffn / tp), hidden, layers, w, a, buffer_bytes),
        gemm("lm_head", batch, hidden, ceil(model.vocab / tp), 1, w, a, buffer_bytes),
    ]
    if tp > 1:
        wire = all_reduce_wire_bytes(tokens * hidden * a, tp)
        ops.append(Operation("all_reduce", "all_reduce", 2 * layers, 0.0, 0.0, link_bytes=wire))
    return ops
