"""Fanout buffering of the flat mapped netlist: every data net with more than `max_fanout` sinks
gets a tree of buffers, each driving at most `max_fanout` sinks (as OpenLane's synthesis buffering
and OpenROAD's repair_design do before placement). Clock nets are left to clock tree synthesis.

Works on the Yosys JSON of the flat top module (nets are integer bit ids), so the result is read
back by Yosys and written out like any other netlist. Sinks are grouped in instance-name order,
which keeps cells of one block under one buffer.
"""

from __future__ import annotations

import json
from pathlib import Path

CLOCK_PORTS = frozenset({"CLK"})
MACRO_PREFIX = "tap130_sram_"  # cell types of the SRAM macros
MACRO_INPUT_BUFFER = "BUF_1"  # the delay in front of each SRAM data input ...
MACRO_INPUT_STAGES = 2  # ... this many in series (about 0.25 ns together)


def _sinks(module: dict) -> dict[int, list[tuple[str, str, int]]]:
    """Net bit -> (cell, port, bit index) of every cell input on it, cells in name order."""
    sinks: dict[int, list] = {}
    for name in sorted(module["cells"]):
        cell = module["cells"][name]
        for port, bits in cell["connections"].items():
            if cell["port_directions"].get(port) != "input":
                continue
            for index, bit in enumerate(bits):
                if isinstance(bit, int):
                    sinks.setdefault(bit, []).append((name, port, index))
    return sinks


def _next_bit(module: dict) -> int:
    """A net bit id not used in `module`."""
    return 1 + max(
        [b for c in module["cells"].values() for bits in c["connections"].values() for b in bits if isinstance(b, int)]
        + [b for n in module["netnames"].values() for b in n["bits"] if isinstance(b, int)] + [1])


def buffer_module(module: dict, max_fanout: int, buffer_cell: str, buffer_ports=("A", "Y")) -> dict:
    """Insert buffer trees into `module` (Yosys JSON, modified in place); return a summary."""
    if max_fanout < 2:
        raise ValueError(f"max_fanout must be an integer of at least 2, not {max_fanout!r}")
    a, y = buffer_ports
    next_bit = _next_bit(module)
    buffers, nets = 0, []
    for bit, sinks in sorted(_sinks(module).items()):
        if len(sinks) <= max_fanout or any(port in CLOCK_PORTS for _, port, _ in sinks):
            continue
        net_name = next((n for n, v in module["netnames"].items() if bit in v["bits"]), f"bit{bit}")
        nets.append({"net": net_name, "fanout": len(sinks)})
        level = sinks
        while len(level) > max_fanout:
            upper = []
            for start in range(0, len(level), max_fanout):
                new_bit, next_bit = next_bit, next_bit + 1
                name = f"fanout_buf_{buffers}"
                buffers += 1
                module["cells"][name] = {
                    "hide_name": 0, "type": buffer_cell, "parameters": {}, "attributes": {},
                    "port_directions": {a: "input", y: "output"},
                    "connections": {a: [bit], y: [new_bit]},
                }
                module["netnames"][f"{name}_out"] = {"hide_name": 0, "bits": [new_bit], "attributes": {}}
                for cell, port, index in level[start:start + max_fanout]:
                    module["cells"][cell]["connections"][port][index] = new_bit
                upper.append((name, a, 0))
            level = upper
    return {"buffers": buffers, "buffer_cell": buffer_cell, "max_fanout": max_fanout, "nets": nets}


def isolate_macro_inputs(module: dict, macro_prefix: str, buffer_cell: str, buffer_ports=("A", "Y"),
                         stages: int = 1) -> int:
    """Give every data input of a macro (SRAM) its own chain of `stages` buffers; return how many
    buffers were inserted.

    An SRAM's hold time is several times a flip-flop's, and the flops that drive its address,
    data and enables usually sit right at its pins: the buffer's delay is the hold margin
    (as hold-fixing buffers do), and each pin sees one small, local load.
    """
    a, y = buffer_ports
    next_bit = _next_bit(module)
    count = 0
    for name in sorted(module["cells"]):
        cell = module["cells"][name]
        if not cell["type"].startswith(macro_prefix):
            continue
        for port, bits in cell["connections"].items():
            if cell["port_directions"].get(port) != "input" or port in CLOCK_PORTS:
                continue
            for index, bit in enumerate(bits):
                if not isinstance(bit, int):
                    continue
                for _ in range(stages):
                    buffer = f"hold_buf_{count}"
                    module["cells"][buffer] = {
                        "hide_name": 0, "type": buffer_cell, "parameters": {}, "attributes": {},
                        "port_directions": {a: "input", y: "output"},
                        "connections": {a: [bit], y: [next_bit]},
                    }
                    module["netnames"][f"{buffer}_out"] = {"hide_name": 0, "bits": [next_bit], "attributes": {}}
                    bit, next_bit = next_bit, next_bit + 1
                    count += 1
                bits[index] = bit
    return count


def buffer_json_file(path_in: str, path_out: str, top: str, max_fanout: int, buffer_cell: str,
                     report_path: str, macro_prefix: str = "", macro_buffer_cell: str = "",
                     macro_stages: int = MACRO_INPUT_STAGES, buffer_ports=("A", "Y"),
                     macro_buffer_ports=("A", "Y")) -> None:
    """Buffer the top module of a Yosys JSON file; write the result and a JSON report."""
    data = json.loads(Path(path_in).read_text())
    module = data["modules"][top]
    summary = buffer_module(module, max_fanout, buffer_cell, buffer_ports)
    if macro_prefix and macro_stages:
        summary["macro_input_buffers"] = isolate_macro_inputs(module, macro_prefix, macro_buffer_cell,
                                                              macro_buffer_ports, stages=macro_stages)
    Path(path_out).write_text(json.dumps(data))
    Path(report_path).write_text(json.dumps(summary, indent=1) + "\n")
