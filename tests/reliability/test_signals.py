"""SIGTERM and SIGHUP stop a run as Ctrl-C does: one line, exit 128+signal, children ended, nothing half-done."""

import signal
import subprocess

import pytest

from .helpers import start_cli, wait_for, write_design


def sleeping_children(tag: str) -> list[str]:
    found = subprocess.run(["pgrep", "-f", f"sleep {tag}"], capture_output=True, text=True).stdout.split()
    return found


@pytest.mark.parametrize("signum, code, said", [(signal.SIGTERM, 143, "terminated (SIGTERM)"),
                                                (signal.SIGHUP, 129, "hung up (SIGHUP)")])
def test_a_signal_stops_the_run_cleanly(tmp_path, signum, code, said):
    design, marker, tag = write_design(tmp_path), tmp_path / "started", f"61.{signum}"
    proc = start_cli(["run", "-d", str(design), "--build-dir", str(tmp_path / "build"),
                      "--hang-marker", str(marker), "--hang-child", tag])
    wait_for(marker)
    for _ in range(100):  # the child `sleep` starts just after the marker
        if sleeping_children(tag):
            break
        wait_for(marker, 0.01)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code
    assert err.strip().splitlines() == [
        f"error: {said} during stage second: its partial outputs were discarded; results of earlier stages "
        "are kept"]
    assert "Traceback" not in err
    assert sleeping_children(tag) == []
    build = tmp_path / "build" / "t"
    assert (build / "first" / "stamp.json").is_file()
    assert not (build / "second").exists() and not (build / ".second.tmp").exists()
