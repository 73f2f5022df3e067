"""The flow as data: the stages in order. A stage that is not built yet is simply absent."""

from __future__ import annotations

from tapeout.arch.stage import ArchStage
from tapeout.flow.stage import Stage
from tapeout.rtl.stage import RtlStage
from tapeout.synth.stage import SynthStage


def flow_stages() -> list[Stage]:
    """The stages of the flow, in the order they run."""
    return [ArchStage(), RtlStage(), SynthStage()]
