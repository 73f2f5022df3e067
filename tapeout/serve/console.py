"""The serving figures as rich tables, for `tapeout serve`."""

from __future__ import annotations

from rich.table import Table


def _cell(value, digits=1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def serving_table(report: dict) -> Table:
    """One row per batch size: HBM, TTFT, TPOT, tokens/s and what bounds each phase."""
    settings, memory = report["settings"], report["memory"]
    tp = settings["tp"]
    table = Table(title=f"{report['model']['name']} on {tp} x {report['design']}: prompt "
                        f"{settings['prompt_tokens']:,}, output {settings['output_tokens']:,} tokens",
                  caption=f"HBM holds the KV cache of batch {memory['max_batch']:,}; tokens/s "
                          + (f"of the {tp} packages together" if tp > 1 else "of the package")
                          + "; prefill/decode: what bounds the phase",
                  title_justify="left", caption_justify="left")
    for column in ("batch", "fits", "GB/pkg", "TTFT ms", "TPOT ms", "dec tok/s", "out tok/s", "prefill",
                   "decode"):
        table.add_column(column, justify="right" if column not in ("fits", "prefill", "decode") else "left",
                         no_wrap=True)
    for row in report["batches"]:
        table.add_row(f"{row['batch']:,}", "yes" if row["fits"] else "[red]NO[/]",
                      _cell(row["memory_per_package_gb"]), _cell(row["ttft_ms"]), _cell(row["tpot_ms"], 2),
                      _cell(row["decode_tokens_per_s"], 0), _cell(row["output_tokens_per_s"], 0),
                      row["prefill_bound"], row["decode_bound"] or "-")
    return table


def phase_table(report: dict, row: dict) -> Table:
    """Where one batch's time goes: each phase split by what bounds its operations (ms)."""
    table = Table(title=f"batch {row['batch']:,}: time by bound (ms)", title_justify="left")
    for column in ("phase", "compute", "memory", "link", "total"):
        table.add_column(column, justify="left" if column == "phase" else "right")
    for phase, key in (("prefill", "prefill_s_by_bound"), ("decode", "decode_s_by_bound")):
        parts = row[key]
        table.add_row(phase, *(_cell(parts[b] * 1e3, 2) for b in ("compute", "memory", "link")),
                      _cell(sum(parts.values()) * 1e3, 2))
    return table
