"""The serving view: what the packaged chip does for a transformer LLM.

Models by their shape (:mod:`.models`), the operations of a prefill and a decode step with their FLOPs
and bytes (:mod:`.operations`), each placed on the chip's roofline (:mod:`.chip`, :mod:`.roofline`),
the KV cache beside the weights in HBM (:mod:`.kv_cache`), tensor parallelism with its all-reduces
(:mod:`.parallel`), and the figures a user of a serving system reads: TTFT, TPOT, tokens/s per batch
(:mod:`.serving`); pictures (:mod:`.pictures`), reports (:mod:`.report`) and the flow stage
(:mod:`.stage`).
"""
