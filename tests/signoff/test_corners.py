"""Multi-corner metrics: each check from its own corner."""

from dataclasses import dataclass

from tapeout.signoff.corners import CornerTiming


@dataclass
class Report:
    wns_ns: float
    hold_ws_ns: float
    fmax_mhz: float

    def metrics(self):
        return {"timing__setup_ws__ns": self.wns_ns, "timing__setup_tns__ns": min(self.wns_ns, 0),
                "timing__hold_ws__ns": self.hold_ws_ns, "timing__hold_tns__ns": min(self.hold_ws_ns, 0),
                "timing__fmax__mhz": self.fmax_mhz, "timing__setup_violations__count": int(self.wns_ns < 0),
                "timing__hold_violations__count": int(self.hold_ws_ns < 0)}


def test_setup_from_the_slow_corner_hold_from_the_fast_one_fmax_at_typical():
    timing = CornerTiming({"tt": Report(1.0, 0.2, 300.0), "ss": Report(-0.5, 0.4, 200.0),
                           "ff": Report(2.0, -0.1, 400.0)}, "tt", "ss", "ff")
    m = timing.metrics()
    assert m["timing__setup_ws__ns"] == -0.5 and m["timing__setup_violations__count"] == 1
    assert m["timing__hold_ws__ns"] == -0.1 and m["timing__hold_violations__count"] == 1
    assert m["timing__fmax__mhz"] == 300.0
    assert m["timing__ss_setup_ws__ns"] == -0.5 and m["timing__ff_hold_ws__ns"] == -0.1
    assert m["timing__tt_fmax__mhz"] == 300.0
    assert "corner ss (setup)" in timing.summary()


def test_one_corner_publishes_no_per_corner_names():
    m = CornerTiming({"tt": Report(1.0, 0.2, 300.0)}, "tt", "tt", "tt").metrics()
    assert m["timing__setup_ws__ns"] == 1.0 and not any(k.startswith("timing__tt_") for k in m)
