"""The flow as data: the stages in order. A stage that is not built yet is simply absent."""

from __future__ import annotations

from tapeout.arch.stage import ArchStage
from tapeout.flow.stage import Stage
from tapeout.fpga.stage import fpga_stages
from tapeout.package.stage import PackageStage
from tapeout.pnr.place.stage import PlaceStage
from tapeout.pnr.route.stage import RouteStage
from tapeout.rtl.stage import RtlStage
from tapeout.signoff.stage import SignoffStage
from tapeout.synth.stage import SynthStage
from tapeout.verify.stage import VerifyStage


def flow_stages() -> list[Stage]:
    """The stages of the flow, in the order they run."""
    return [ArchStage(), RtlStage(), VerifyStage(), SynthStage(), PlaceStage(), RouteStage(), SignoffStage(),
            PackageStage(), *fpga_stages()]
