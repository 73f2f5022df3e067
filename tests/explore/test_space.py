"""Space files: what they hold once parsed, and one clear line for each kind of mistake."""

import pytest

from tapeout.explore.errors import SpaceError
from tapeout.explore.space import Constraint, load_space
from tapeout.flow.stages import flow_stages
from tests.conftest import ROOT

GOOD = """
[explore]
design = "{design}"
stages = ["arch"]
search = "grid"

[vary]
tensor_core.rows = [2, 4]
design.clock_period_ns = {{ range = [5.0, 20.0], step = 5.0 }}

[objectives]
arch__peak__ops_per_s = "max"
arch__scalesim_cycles__count = "min"

[constraints]
arch__scalesim_utilization__ratio = ">= 0.2"
package__reticle_fit__bool = true
"""


def write(tmp_path, text):
    path = tmp_path / "explore_demo.toml"
    path.write_text(text)
    return path


def good(tmp_path):
    return write(tmp_path, GOOD.format(design=ROOT / "designs" / "tc4x4.toml"))


def error_of(path):
    with pytest.raises(SpaceError) as error:
        load_space(path)
    return str(error.value)


def test_a_good_space(tmp_path):
    space = load_space(good(tmp_path))
    assert space.name == "demo"  # the file name without explore_
    assert space.design == ROOT / "designs" / "tc4x4.toml"
    assert space.stages == ("arch",)
    assert space.keys == ("tensor_core.rows", "design.clock_period_ns")
    assert space.grid_size() == 2 * 4
    assert space.objectives == {"arch__peak__ops_per_s": "max", "arch__scalesim_cycles__count": "min"}
    assert space.constraints == (Constraint("arch__scalesim_utilization__ratio", ">=", 0.2),
                                 Constraint("package__reticle_fit__bool", "==", 1.0))
    assert space.pictures is True
    text = GOOD.format(design=ROOT / "designs" / "tc4x4.toml").replace('search = "grid"', 'search = "grid"\npictures = false')
    assert load_space(write(tmp_path, text)).pictures is False


def test_constraint_violations_are_distances():
    at_least, at_most, equal = Constraint("m", ">=", 0.0), Constraint("m", "<=", 5.0), Constraint("m", "==", 1.0)
    assert (at_least.violation(0.5), at_least.violation(-0.25)) == (0.0, 0.25)
    assert (at_most.violation(5.0), at_most.violation(7.0)) == (0.0, 2.0)
    assert (equal.violation(True), equal.violation(False)) == (0.0, 1.0)


def test_identity_ignores_objectives_but_not_the_values(tmp_path):
    base = load_space(good(tmp_path)).identity()
    assert load_space(write(tmp_path, GOOD.format(design=ROOT / "designs" / "tc4x4.toml").replace(
        '"min"', '"max"'))).identity() == base
    assert load_space(write(tmp_path, GOOD.format(design=ROOT / "designs" / "tc4x4.toml").replace(
        "[2, 4]", "[2, 8]"))).identity() != base


@pytest.mark.parametrize("old, new, message", [
    ("[vary]", "[vari]", "{path}: unknown section [vari]; did you mean [vary]?"),
    ('search = "grid"', 'search = "bayes"', "{path}: [explore] search must be one of grid, random, nsga2, tpe, "
                                            "not 'bayes'"),
    ('search = "grid"', 'serch = "grid"', "{path}: [explore] unknown key 'serch'; did you mean 'search'?"),
    ('stages = ["arch"]', 'stages = ["sinth"]', "{path}: [explore] unknown stage 'sinth'; stages are: {stages}"),
    ("tensor_core.rows =", "tensor_core.rwos =", "{path}: [vary] tensor_core.rwos: [tensor_core] has no key 'rwos'; "
                                                 "did you mean 'rows'?"),
    ("tensor_core.rows =", "tensor_cor.rows =", "{path}: [vary] tensor_cor.rows is not a config key <section>.<key>; "
                                                "did you mean section [tensor_core]?"),
    ("[2, 4]", "[2, 0]", "{path}: [vary] tensor_core.rows value 0 must be an integer from 1 to 64, not 0"),
    (', step = 5.0 }', ' }', '{path}: [vary] design.clock_period_ns is a continuous range; give it a step or count '
                             'for a grid search, or use search = "random", "nsga2" or "tpe"'),
    ('"max"', '"maximum"', '{path}: [objectives] arch__peak__ops_per_s must be "min" or "max", not \'maximum\''),
    ('">= 0.2"', '"at least 0.2"', '{path}: [constraints] arch__scalesim_utilization__ratio must be ">= x", "<= x", '
                                   '"== x", true or false, not \'at least 0.2\''),
    ('search = "grid"', 'search = "random"', "{path}: [explore] trials is required for search = 'random' "
                                             "(how many to run)"),
    ('search = "grid"', 'search = "grid"\npictures = "no"', "{path}: [explore] pictures must be true or false, "
                                                           "not 'no'"),
])
def test_mistakes_are_one_line(tmp_path, old, new, message):
    text = GOOD.format(design=ROOT / "designs" / "tc4x4.toml")
    assert old in text
    path = write(tmp_path, text.replace(old, new, 1))
    stages = ", ".join(stage.name for stage in flow_stages())
    assert error_of(path) == message.format(path=path, stages=stages)


def test_missing_design_and_objectives(tmp_path):
    path = write(tmp_path, '[explore]\nsearch = "grid"\n[vary]\ntensor_core.rows = [2]\n')
    assert error_of(path) == f"{path}: [explore] missing required key 'design' (the base design's TOML file)"
    path = write(tmp_path, '[explore]\ndesign = "nope.toml"\n')
    assert error_of(path) == f"{path}: [explore] design file 'nope.toml' not found (paths are relative to {tmp_path}/)"
    path = write(tmp_path, f'[explore]\ndesign = "{ROOT}/designs/tc4x4.toml"\n[vary]\ntensor_core.rows = [2]\n')
    assert error_of(path) == (f'{path}: [objectives] names no metric; give at least one, e.g. '
                              'timing__fmax__mhz = "max"')


def test_toml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, "[explore]\ndesign = \n")
    assert error_of(path).startswith(f"{path}:2: TOML syntax error")


def test_shipped_spaces_load():
    for path in sorted((ROOT / "designs" / "explore").glob("*.toml")):
        assert load_space(path).parameters
    assert load_space(ROOT / "designs" / "explore" / "package.toml").pictures is False  # the fast sweep draws none
