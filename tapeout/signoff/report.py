"""Timing reports: OpenSTA ``report_checks``-style text and a slack histogram (PNG)."""

import math

import numpy as np

__all__ = ["format_path", "format_timing_report", "write_timing_report", "plot_slack_histogram"]

_RULE = "-" * 64


def _line(incr, time, slew, text):
    incr_s = "" if incr is None else f"{incr:8.3f}"
    slew_s = "" if slew is None else f"{slew:7.3f}"
    return f"{incr_s:>8} {time:8.3f} {slew_s:>7}  {text}"


def format_path(path):
    """One path in the layout of OpenSTA's ``report_checks`` (times in ns)."""
    start_kind = f"clocked by {path.start_clock}" if path.start_clock else "input port"
    end_kind = "output port" if "/" not in path.endpoint else f"clocked by {path.end_clock}"
    lines = [f"Startpoint: {path.startpoint} ({start_kind})",
             f"Endpoint: {path.endpoint} ({end_kind})",
             f"Path Type: {'min' if path.kind == 'hold' else 'max'} ({path.kind})", "",
             f"{'Delay':>8} {'Time':>8} {'Slew':>7}  Description", _RULE]
    for point in path.points:
        mark = "^" if point.edge == "rise" else "v"
        what = f" ({point.through})" if point.through else ""
        lines.append(_line(point.incr_ns, point.arrival_ns, point.slew_ns, f"{mark} {point.pin}{what}"))
    lines.append(_line(None, path.arrival_ns, None, "data arrival time"))
    lines.append("")
    if path.kind == "max_delay":
        lines.append(_line(None, path.required_ns, None, "max_delay"))
    else:
        lines.append(_line(None, path.capture_ns, None, f"clock {path.end_clock} edge + latency"))
        if path.check_ns:
            label = "library setup time" if path.kind == "setup" else "library hold time"
            sign = -1 if path.kind == "setup" else 1
            lines.append(_line(sign * path.check_ns, path.capture_ns + sign * path.check_ns,
                               None, label))
        if path.required_ns != path.capture_ns + (-1 if path.kind == "setup" else 1) * path.check_ns:
            lines.append(_line(None, path.required_ns, None, "after port delay"))
    lines.append(_line(None, path.required_ns, None, "data required time"))
    lines.append(_RULE)
    state = "MET" if path.slack_ns >= 0 else "VIOLATED"
    lines.append(_line(None, path.slack_ns, None, f"slack ({state})"))
    return "\n".join(lines)


def format_timing_report(report):
    """Summary (WNS, TNS, hold, Fmax) followed by every kept path."""
    def num(v, unit):
        return "n/a" if not math.isfinite(v) else f"{v:.3f} {unit}"
    lines = ["Timing summary", _RULE,
             f"setup worst slack   {num(report.wns_ns, 'ns')}",
             f"setup total neg.    {num(report.tns_ns, 'ns')}",
             f"setup violations    {report.setup_violations}",
             f"hold worst slack    {num(report.hold_ws_ns, 'ns')}",
             f"hold violations     {report.hold_violations}",
             f"Fmax                {num(report.fmax_mhz, 'MHz')}",
             f"endpoints           {len(report.endpoints)}", ""]
    for path in report.paths:
        lines += [format_path(path), "", ""]
    return "\n".join(lines)


def write_timing_report(report, path):
    """Write :func:`format_timing_report` of ``report`` to ``path``."""
    with open(path, "w") as handle:
        handle.write(format_timing_report(report))


def plot_slack_histogram(report, path, bins=40):
    """Histogram of setup (and hold) slack per endpoint, saved as a PNG at ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    for values, label, color in ((report.setup_slack_ns, "setup", "tab:blue"),
                                 (report.hold_slack_ns, "hold", "tab:orange")):
        values = values[np.isfinite(values)]
        if len(values):
            ax.hist(values, bins=bins, alpha=0.6, label=f"{label} ({len(values)})", color=color)
    ax.axvline(0.0, color="red", linewidth=1)
    ax.set_xlabel("slack (ns)")
    ax.set_ylabel("endpoints")
    ax.set_title(f"Endpoint slack: WNS {report.wns_ns:.3f} ns, Fmax {report.fmax_mhz:.1f} MHz")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
