"""HBM of one package: the weights, the KV cache beside them, and how many tokens of context fit.

A share of HBM is kept back for activations, workspace and fragmentation: 10 % by default, as vLLM's
``gpu_memory_utilization`` default of 0.9 (vLLM engine arguments, docs.vllm.ai). The KV cache of one
token is 2 (K and V) x kv_heads x head_dim x bytes per element in every layer (with tensor
parallelism, the package's share of the KV heads; :mod:`.parallel`).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import floor

from .chip import ServingChip
from .models import TransformerModel
from .parallel import kv_heads_per_package

DEFAULT_MEMORY_RESERVE = 0.10


@dataclass(frozen=True)
class MemoryPlan:
    """Bytes of one package's HBM (all per package)."""

    capacity_bytes: float
    reserve: float
    weight_bytes: float
    kv_bytes_per_token: float

    @property
    def usable_bytes(self) -> float:
        """HBM for weights and KV cache: capacity less the reserve."""
        return self.capacity_bytes * (1 - self.reserve)

    @property
    def kv_room_bytes(self) -> float:
        """HBM left for the KV cache beside the weights (negative: the weights alone do not fit)."""
        return self.usable_bytes - self.weight_bytes

    @property
    def max_tokens(self) -> int:
        """Tokens of KV cache that fit (all sequences together)."""
        return max(0, floor(self.kv_room_bytes / self.kv_bytes_per_token))

    def max_batch(self, context: int) -> int:
        """Sequences of ``context`` tokens whose KV cache fits at once."""
        return self.max_tokens // context

    def used_bytes(self, batch: int, context: int) -> float:
        """Weights plus the KV cache of ``batch`` sequences of ``context`` tokens."""
        return self.weight_bytes + batch * context * self.kv_bytes_per_token

    def shortfall_bytes(self, batch: int, context: int) -> float:
        """How much more usable HBM ``batch`` x ``context`` needs (0 when it fits)."""
        return max(0.0, self.used_bytes(batch, context) - self.usable_bytes)


def kv_bytes_per_token_per_package(model: TransformerModel, tp: int) -> float:
    """KV cache bytes one token adds on one package (all layers)."""
    return model.layers * 2 * kv_heads_per_package(model, tp) * model.head_dim * model.kv_bits / 8


def memory_plan(model: TransformerModel, chip: ServingChip, tp: int = 1,
                reserve: float = DEFAULT_MEMORY_RESERVE) -> MemoryPlan:
    """The HBM plan of one of ``tp`` packages serving ``model`` (weights split evenly)."""
    return MemoryPlan(chip.hbm_capacity, reserve, model.weight_bytes / tp,
                      kv_bytes_per_token_per_package(model, tp))
