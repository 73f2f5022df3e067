"""Serving a model on tp packages: TTFT, TPOT and tokens/s for a batch of equal requests.

A batch of ``batch`` requests of ``prompt`` tokens each is prefilled in one step (its time is the
time to first token, TTFT, of every request in it); then ``output - 1`` decode steps each add one token
to every sequence (static batching, as in TensorRT-LLM's early benchmarks). A decode step's time is the
time per output token (TPOT, the inter-token latency); it grows with the context through attention,
so the mean over the steps is reported with the first and the last. Throughput: decode tokens/s =
batch / TPOT; output tokens/s = batch x output / (TTFT + all decode steps).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .chip import ServingChip
from .errors import ServeError
from .kv_cache import DEFAULT_MEMORY_RESERVE, MemoryPlan, memory_plan
from .models import TransformerModel
from .operations import attention_flops_bytes, step_operations
from .parallel import check_tensor_parallel
from .roofline import BOUNDS, Derates, PlacedOperation, place


@dataclass(frozen=True)
class ServingSetup:
    """What is served, on what, and how.

    act_bits is the activation width; the GEMMs run at max(weight bits, act_bits) (weight-only
    quantised models compute at the activation width).
    """

    model: TransformerModel
    chip: ServingChip
    tp: int = 1
    prompt: int = 2048
    output: int = 256
    act_bits: int = 16
    derates: Derates = field(default_factory=Derates)
    memory_reserve: float = DEFAULT_MEMORY_RESERVE

    def __post_init__(self):
        for key, what in (("prompt", "prompt length"), ("output", "output length")):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ServeError(f"{what} must be at least 1 token, not {value!r}")
        check_tensor_parallel(self.model, self.tp)
        if self.context > self.model.max_context:
            raise ServeError(f"prompt {self.prompt:,} + output {self.output:,} tokens exceed {self.model.name}'s "
                             f"context window of {self.model.max_context:,} tokens")
        if self.tp > 1 and self.chip.link_bandwidth <= 0:
            raise ServeError(f"--tp {self.tp} needs NVLink-like links between the packages, and {self.chip.name} "
                             "has none; give [package] nvlink_phys")
        if not 0 <= self.memory_reserve < 1:
            raise ServeError(f"memory reserve must be from 0 to below 1, not {self.memory_reserve!r}")

    @property
    def context(self) -> int:
        """Tokens of a finished sequence: prompt + output."""
        return self.prompt + self.output

    @property
    def operand_bits(self) -> int:
        """Width the multiplications run at."""
        return max(self.model.weight_bits, self.act_bits)

    @property
    def memory(self) -> MemoryPlan:
        return memory_plan(self.model, self.chip, self.tp, self.memory_reserve)


@dataclass(frozen=True)
class Phase:
    """One phase's time (s) and where it goes.

    ``ops`` are the operations of one representative step (the prefill; the decode step at the mean
    context) placed on the roofline; ``time_by_bound`` splits the phase's whole time by what bounds
    each operation.
    """

    seconds: float
    ops: tuple[PlacedOperation, ...]
    time_by_bound: dict

    @property
    def bound(self) -> str:
        """What most of the phase's time waits for: "compute", "memory" or "link"."""
        return max(BOUNDS, key=lambda key: self.time_by_bound[key])


@dataclass(frozen=True)
class BatchResult:
    """The figures of one batch size."""

    batch: int
    fits: bool
    memory_bytes: float
    prefill: Phase
    decode: Phase
    decode_steps: int
    tpot_first_s: float | None
    tpot_last_s: float | None

    @property
    def ttft_s(self) -> float:
        return self.prefill.seconds

    @property
    def tpot_s(self) -> float | None:
        """Mean time per output token over the decode steps (None with a 1-token output)."""
        return self.decode.seconds / self.decode_steps if self.decode_steps else None

    @property
    def e2e_s(self) -> float:
        """Time until every request of the batch has its whole output."""
        return self.prefill.seconds + self.decode.seconds

    @property
    def decode_tokens_per_s(self) -> float | None:
        return self.batch / self.tpot_s if self.tpot_s else None

    def output_tokens_per_s(self, output: int) -> float:
        return self.batch * output / self.e2e_s

    def prefill_tokens_per_s(self, prompt: int) -> float:
        return self.batch * prompt / self.prefill.seconds


def _phase(placed: list[PlacedOperation], steps: int = 1) -> Phase:
    by_bound = dict.fromkeys(BOUNDS, 0.0)
    for p in placed:
        by_bound[p.bound] += p.total_s * steps
    return Phase(sum(p.total_s for p in placed) * steps, tuple(placed), by_bound)


def check_fits(setup: ServingSetup) -> None:
    """Raise :class:`ServeError` when the model does not fit even one request of the full context."""
    plan = setup.memory
    if plan.shortfall_bytes(1, setup.context) <= 0:
        return
    model, chip = setup.model, setup.chip
    suggestion = _smallest_tp_that_fits(setup)
    hint = f"try --tp {suggestion}" if suggestion else f"no tensor parallelism up to {model.heads} packages fits"
    raise ServeError(
        f"{model.name} does not fit {setup.tp} x {chip.name} even at batch 1: it needs "
        f"{plan.used_bytes(1, setup.context) / 1e9:.1f} GB per package ({plan.weight_bytes / 1e9:.1f} GB of weights "
        f"+ {setup.context * plan.kv_bytes_per_token / 1e9:.2f} GB of KV cache for {setup.context:,} tokens), "
        f"{plan.usable_bytes / 1e9:.1f} GB usable ({chip.hbm_capacity / 1e9:g} GB HBM less the "
        f"{setup.memory_reserve:.0%} reserve): {plan.shortfall_bytes(1, setup.context) / 1e9:.1f} GB short; {hint}")


def _smallest_tp_that_fits(setup: ServingSetup) -> int | None:
    for tp in range(setup.tp + 1, setup.model.heads + 1):
        try:
            check_tensor_parallel(setup.model, tp)
        except ServeError:
            continue
        if memory_plan(setup.model, setup.chip, tp, setup.memory_reserve).shortfall_bytes(1, setup.context) <= 0:
            return tp
    return None


def run_batch(setup: ServingSetup, batch: int) -> BatchResult:
    """Prefill and decode of ``batch`` requests (see the module docstring)."""
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise ServeError(f"batch size must be a positive integer, not {batch!r}")
    model, chip, tp, bits = setup.model, setup.chip, setup.tp, setup.operand_bits

    def placed(new: int, context: int) -> list[PlacedOperation]:
        ops = step_operations(model, tp, batch, new, context, setup.act_bits, chip.buffer_bytes)
        return [place(op, chip, bits, setup.derates) for op in ops]

    prefill = _phase(placed(setup.prompt, 0))
    steps = setup.output - 1
    if steps:
        decode, first, last = _decode(setup, batch, placed(1, setup.prompt + steps // 2))
    else:
        decode, first, last = Phase(0.0, (), dict.fromkeys(BOUNDS, 0.0)), None, None
    plan = setup.memory
    return BatchResult(batch, plan.shortfall_bytes(batch, setup.context) <= 0, plan.used_bytes(batch, setup.context),
                       prefill, decode, steps, first, last)


def _decode(setup: ServingSetup, batch: int, middle: list[PlacedOperation]):
    """All decode steps: every operation but attention is the same each step; attention grows with the
    context (prompt, prompt + 1, ..., prompt + output - 2 tokens already cached)."""
    chip, derates = setup.chip, setup.derates
    others = [p for p in middle if p.op.kind != "attention"]
    (attention,) = [p for p in middle if p.op.kind == "attention"]
    steps = setup.output - 1
    contexts = np.arange(setup.prompt, setup.prompt + steps, dtype=np.float64)
    flops, traffic = attention_flops_bytes(setup.model, setup.tp, batch, 1, contexts, setup.act_bits,
                                           chip.buffer_bytes)
    compute = flops / (chip.peak_at(setup.operand_bits) * derates.compute)
    memory = traffic / (chip.hbm_bandwidth * derates.bandwidth)
    attention_s = np.maximum(compute, memory) * attention.op.count
    fixed_s = sum(p.total_s for p in others)
    by_bound = dict.fromkeys(BOUNDS, 0.0)
    for p in others:
        by_bound[p.bound] += p.total_s * steps
    by_bound["compute"] += float(attention_s[compute >= memory].sum())
    by_bound["memory"] += float(attention_s[compute < memory].sum())
    step_s = fixed_s + attention_s
    phase = Phase(float(step_s.sum()), tuple(middle), by_bound)
    return phase, float(step_s[0]), float(step_s[-1])


def run_batches(setup: ServingSetup, batches) -> list[BatchResult]:
    """:func:`run_batch` for each batch size, after checking that one request fits at all."""
    check_fits(setup)
    return [run_batch(setup, b) for b in batches]
