"""The netlists gate-level verification checks, as artefacts of the stages that write them.

``FINAL_NETLIST`` is the last netlist of the physical flow (today the clock-tree stage's, with the
clock buffers, resized drivers and hold buffers); a stage that later rewrites the netlist is taken in
by changing this one line.
"""

from tapeout.pnr.cts.stage import CTS_V
from tapeout.rtl.stage import RTL_RTLIL
from tapeout.synth.stage import MEMORIES, NETLIST_V

FINAL_NETLIST = CTS_V
SYNTH_NETLIST = NETLIST_V
SYNTH_MEMORIES = MEMORIES
RTL = RTL_RTLIL
