"""The flow as data: the stages in order, one registration line each. A stage not built yet is absent."""

from __future__ import annotations

from tapeout.arch.stage import ArchStage
from tapeout.drc_lvs.stage import DrcLvsStage
from tapeout.flow.stage import Stage
from tapeout.fpga.stage import fpga_stages
from tapeout.gds.stage import GdsStage
from tapeout.package.stage import PackageStage
from tapeout.pnr.cts.stage import CtsStage
from tapeout.pnr.finish.stage import FinishStage
from tapeout.pnr.place.stage import PlaceStage
from tapeout.pnr.resize.stage import ResizeStage
from tapeout.pnr.route.detailed.stage import DrouteStage
from tapeout.pnr.route.stage import RouteStage
from tapeout.rtl.stage import RtlStage
from tapeout.serve.stage import ServeStage
from tapeout.signoff.stage import SignoffStage
from tapeout.synth.stage import SynthStage
from tapeout.verify.gls.stage import GlsStage
from tapeout.verify.lec.stage import LecStage
from tapeout.verify.stage import VerifyStage


def flow_stages() -> list[Stage]:
    """The stages of the flow, in the order they run."""
    return [
        ArchStage(),
        RtlStage(),
        VerifyStage(),
        SynthStage(),
        PlaceStage(),
        ResizeStage(),
        CtsStage(),
        RouteStage(),
        DrouteStage(),
        FinishStage(),
        GdsStage(),
        DrcLvsStage(),
        SignoffStage(),
        PackageStage(),
        ServeStage(),
        LecStage(),
        GlsStage(),
        *fpga_stages(),
    ]
