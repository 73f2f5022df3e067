"""A design's own tests and HDL parameters (tapeout/verify/own_tests.py): bad names get one line."""

import pytest

from tapeout.errors import ConfigError
from tapeout.flow.config import load_design
from tapeout.verify.own_tests import OwnTestError, check_parameters, own_test_files, top_parameters

from .own_design import write_design


def test_test_modules_are_files_beside_the_design(tmp_path):
    config = load_design(write_design(tmp_path, '[verify]\ntests = ["src.pcount_test"]\n'))
    assert own_test_files(config) == [tmp_path / "src" / "pcount_test.py"]


def test_a_missing_test_module_is_named(tmp_path):
    config = load_design(write_design(tmp_path, '[verify]\ntests = ["src.pcount_test", "src.nope"]\n'))
    with pytest.raises(OwnTestError) as error:
        own_test_files(config)
    assert str(error.value) == (
        f"{tmp_path / 'pcount.toml'}: [verify] tests names 'src.nope', but there is no {tmp_path / 'src' / 'nope.py'} "
        "(a test module is a Python file relative to the design file's folder: 'src.counter_test' is "
        "src/counter_test.py)")


def test_parameters_are_checked_against_the_top(tmp_path):
    config = load_design(write_design(tmp_path, '[verify]\ntests = ["src.pcount_test"]\n'
                                                'parameters = {WIDTH = 4, MODE = "down"}\n'))
    assert top_parameters(config.verilog_paths, "pcount") == ["MODE", "WIDTH"]
    assert check_parameters(config, config.verilog_paths) == {"WIDTH": 4, "MODE": '"down"'}


def test_a_parameter_the_top_lacks_is_named(tmp_path):
    config = load_design(write_design(tmp_path, '[verify]\ntests = ["src.pcount_test"]\nparameters = {DEPTH = 4}\n'))
    with pytest.raises(OwnTestError) as error:
        check_parameters(config, config.verilog_paths)
    assert str(error.value) == (f"{tmp_path / 'pcount.toml'}: [verify] parameters sets 'DEPTH', but top module "
                                "'pcount' has no such parameter (it has MODE, WIDTH)")


@pytest.mark.parametrize("table, shown", [("{WIDTH = true}", "a table"), ("[4]", "[4]"), ("{}", "a table")])
def test_parameters_must_be_a_table_of_integers_or_strings(tmp_path, table, shown):
    path = write_design(tmp_path, f'[verify]\ntests = ["src.pcount_test"]\nparameters = {table}\n')
    with pytest.raises(ConfigError) as error:
        load_design(path)
    assert str(error.value) == (f"{path}: [verify] parameters must be a table of parameter names to integers or "
                                f"strings, e.g. {{WIDTH = 8}}, not {shown}")
