"""Decoder-only transformer LLMs described by their shape, and the presets with their public figures.

A layer is grouped-query attention (Q, K, V and output projections; ``kv_heads`` K/V heads shared by
``heads`` query heads) and a gated (SwiGLU) feed-forward block of three ``hidden x ffn`` matrices, plus
two RMSNorm weight vectors; the model adds the token embedding, a final norm and an untied LM head.
That is the Llama family (Touvron et al., "Llama 2: Open Foundation and Fine-Tuned Chat Models",
arXiv:2307.09288, 2023, sections 2.2 and A.2.1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import ServeError


@dataclass(frozen=True)
class TransformerModel:
    """A decoder-only transformer.

    Attributes
    ----------
    name : str
    layers, hidden, heads, kv_heads, ffn, vocab : int
        Decoder layers, model width, query heads, key/value heads (GQA; = heads for multi-head
        attention), feed-forward width, vocabulary.
    max_context : int
        Longest sequence (prompt + output, tokens) the model was trained for.
    weight_bits, kv_bits : int
        Bits per weight and per KV-cache element (16 for FP16/BF16, 8 for FP8/INT8).
    source : str
        Where the shape comes from.
    """

    name: str
    layers: int
    hidden: int
    heads: int
    kv_heads: int
    ffn: int
    vocab: int
    max_context: int
    weight_bits: int = 16
    kv_bits: int = 16
    source: str = ""

    def __post_init__(self):
        for key in ("layers", "hidden", "heads", "kv_heads", "ffn", "vocab", "max_context", "weight_bits",
                    "kv_bits"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ServeError(f"model {self.name}: {key} must be a positive integer, not {value!r}")
        if self.hidden % self.heads:
            raise ServeError(f"model {self.name}: hidden {self.hidden} must be a multiple of heads {self.heads}")
        if self.heads % self.kv_heads:
            raise ServeError(f"model {self.name}: heads {self.heads} must be a multiple of kv_heads "
                             f"{self.kv_heads} (each KV head serves a whole group of query heads)")

    @property
    def head_dim(self) -> int:
        """Width of one attention head."""
        return self.hidden // self.heads

    @property
    def attention_params_per_layer(self) -> int:
        """Q, K, V and output projection weights of one layer."""
        qkv = self.hidden * (self.heads + 2 * self.kv_heads) * self.head_dim
        return qkv + self.heads * self.head_dim * self.hidden

    @property
    def ffn_params_per_layer(self) -> int:
        """Gate, up and down projection weights of one layer."""
        return 3 * self.hidden * self.ffn

    @property
    def params_per_layer(self) -> int:
        """Every weight of one layer, its two norm vectors included."""
        return self.attention_params_per_layer + self.ffn_params_per_layer + 2 * self.hidden

    @property
    def embedding_params(self) -> int:
        """Token embedding (a lookup: read, not multiplied)."""
        return self.vocab * self.hidden

    @property
    def params(self) -> int:
        """All weights: layers, embedding, final norm and the (untied) LM head."""
        return self.layers * self.params_per_layer + 2 * self.embedding_params + self.hidden

    @property
    def weight_bytes(self) -> float:
        """Bytes of all weights at ``weight_bits``."""
        return self.params * self.weight_bits / 8

    @property
    def kv_bytes_per_token_per_layer(self) -> float:
        """KV cache one token adds to one layer: K and V, ``kv_heads x head_dim`` each."""
        return 2 * self.kv_heads * self.head_dim * self.kv_bits / 8

    @property
    def kv_bytes_per_token(self) -> float:
        """KV cache one token adds over all layers (bytes)."""
        return self.layers * self.kv_bytes_per_token_per_layer

    @property
    def matmul_flops_per_token(self) -> int:
        """FLOPs of the weight multiplications for one token (2 per weight; attention over the context
        and the embedding lookup not included)."""
        return 2 * (self.params - self.embedding_params - (2 * self.layers + 1) * self.hidden)


_HF = "Hugging Face config.json of "
PRESETS: dict[str, TransformerModel] = {
    "llama-2-7b": TransformerModel(
        "llama-2-7b", layers=32, hidden=4096, heads=32, kv_heads=32, ffn=11008, vocab=32000, max_context=4096,
        source=_HF + "meta-llama/Llama-2-7b-hf (hidden_size 4096, intermediate_size 11008, 32 layers, 32 heads, "
               "32 KV heads, vocab 32000, 4096 positions); Touvron et al. 2023, Table 1: 7B, 4k context"),
    "llama-2-70b": TransformerModel(
        "llama-2-70b", layers=80, hidden=8192, heads=64, kv_heads=8, ffn=28672, vocab=32000, max_context=4096,
        source=_HF + "meta-llama/Llama-2-70b-hf (hidden_size 8192, intermediate_size 28672, 80 layers, 64 heads, "
               "8 KV heads, vocab 32000, 4096 positions); Touvron et al. 2023, Table 1: 70B uses GQA"),
    "llama-3-8b": TransformerModel(
        "llama-3-8b", layers=32, hidden=4096, heads=32, kv_heads=8, ffn=14336, vocab=128256, max_context=8192,
        source=_HF + "meta-llama/Meta-Llama-3-8B (hidden_size 4096, intermediate_size 14336, 32 layers, 32 heads, "
               "8 KV heads, vocab 128256, 8192 positions); Meta Llama 3 model card, 2024: GQA, 8k context"),
}
"""Preset name -> model (16-bit weights and KV cache)."""

SHAPE_KEYS = ("layers", "hidden", "heads", "kv_heads", "ffn", "vocab", "max_context", "weight_bits", "kv_bits")


def model_preset(name: str) -> TransformerModel:
    """The preset called ``name``; the error lists the known ones."""
    if name not in PRESETS:
        raise ServeError(f"unknown model {name!r}; known models: {', '.join(PRESETS)}")
    return PRESETS[name]


def with_shape(model: TransformerModel, **changes) -> TransformerModel:
    """``model`` with some of :data:`SHAPE_KEYS` changed (values of 0 or None keep the model's)."""
    given = {k: v for k, v in changes.items() if v}
    unknown = [k for k in given if k not in SHAPE_KEYS]
    if unknown:
        raise ServeError(f"unknown model key {unknown[0]!r}; keys are: {', '.join(SHAPE_KEYS)}")
    if not given:
        return model
    differs = any(getattr(model, k) != v for k, v in given.items() if k not in ("weight_bits", "kv_bits"))
    return replace(model, name=f"{model.name} (reshaped)" if differs else model.name, **given)
