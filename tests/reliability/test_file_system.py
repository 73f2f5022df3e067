"""File-system faults name the path and the OS's reason in one line; earlier results stay."""

import errno
import pathlib

import pytest

from tapeout.errors import BuildDirError
from tapeout.flow.cli import main
from tests.flow.test_engine import make_engine


def test_a_read_only_build_directory(tmp_path, monkeypatch):
    engine = make_engine(tmp_path, [])
    engine.run(["first"])
    good = (engine.stage_dir("first") / "a.txt").read_text()

    def read_only(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(pathlib.Path, "mkdir", read_only)
    with pytest.raises(BuildDirError, match=r"^cannot write .*build/t: read-only file system$"):
        make_engine(tmp_path, [], rows=8).run()
    monkeypatch.undo()
    assert (engine.stage_dir("first") / "a.txt").read_text() == good


def test_a_stage_that_hits_a_full_disk_fails_with_the_path(tmp_path, monkeypatch):
    from tests.flow.fake_stages import First

    class Full(First):
        def run(self, ctx):
            raise OSError(errno.ENOSPC, "No space left on device", str(ctx.out_dir / "a.txt"))

    (outcome,) = make_engine(tmp_path, [], stages=[Full([])]).run()
    assert outcome.status == "failed"
    assert outcome.message.endswith("/build/t/.first.tmp/a.txt: no space left on device")


def test_build_is_a_file(project, capsys):
    (project / "build").write_text("not a directory\n")
    assert main(["run", "arch", "-d", "tc4x4"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write build/tc4x4") or err.startswith("error: build")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_design_file_that_is_a_directory(project, capsys):
    (project / "designs" / "folder.toml").mkdir()
    assert main(["run", "-d", "designs/folder.toml"]) == 2
    assert capsys.readouterr().err == ("error: designs/folder.toml: is a directory, not a design file "
                                       "(give the .toml file inside it)\n")
