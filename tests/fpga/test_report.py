import json

import pytest

from tapeout.fpga.report import (
    Usage,
    count_flip_flops,
    first_error,
    overflowing_resources,
    read_log_utilisation,
    read_report,
)

LOG = """Info: Device utilisation:
Info: \t         ICESTORM_LC:   14721/   5280   278%
Info: \t        ICESTORM_RAM:       2/     30     6%
Info: \t        ICESTORM_DSP:       9/      8   112%

ERROR: Unable to place cell 'acc_LC', no BELs remaining to implement cell type 'ICESTORM_LC'
0 warnings, 1 error
"""


def test_log_utilisation_and_overflow():
    assert read_log_utilisation(LOG) == {"ICESTORM_LC": Usage(14721, 5280),
                                         "ICESTORM_RAM": Usage(2, 30),
                                         "ICESTORM_DSP": Usage(9, 8)}
    assert overflowing_resources(LOG) == [("ICESTORM_LC", Usage(14721, 5280)),
                                          ("ICESTORM_DSP", Usage(9, 8))]


def test_overflow_from_placement_error_alone():
    log = "Info: Device utilisation:\nInfo: \t  ICESTORM_LC:  5000/  5280    94%\n" + LOG.splitlines()[5]
    assert overflowing_resources(log) == [("ICESTORM_LC", Usage(5000, 5280))]
    assert overflowing_resources("nothing here") == []


def test_first_error():
    assert first_error(LOG).startswith("Unable to place cell 'acc_LC'")
    assert first_error("Info: fine\n") is None


def test_read_report(tmp_path):
    path = tmp_path / "report.json"
    path.write_text(json.dumps({
        "utilization": {"TRELLIS_COMB": {"used": 31, "available": 83640}},
        "fmax": {"a": {"achieved": 150.5, "constraint": 100.0},
                 "b": {"achieved": 90.25, "constraint": 25.0}}}))
    report = read_report(path)
    assert report.utilisation == {"TRELLIS_COMB": Usage(31, 83640)}
    assert (report.fmax_mhz, report.constraint_mhz) == (90.25, 25.0)
    path.write_text(json.dumps({"utilization": {}, "fmax": {}}))
    with pytest.raises(ValueError, match=r"report.json: nextpnr reports no clock, so no Fmax$"):
        read_report(path)


def test_count_flip_flops(tmp_path):
    path = tmp_path / "top.json"
    path.write_text(json.dumps({"modules": {
        "top": {"cells": {"a": {"type": "SB_DFFSR"}, "b": {"type": "SB_DFF"},
                          "c": {"type": "SB_LUT4"}}},
        "SB_DFF": {"cells": {}}}}))
    assert count_flip_flops(path, "top", "SB_DFF") == 2
