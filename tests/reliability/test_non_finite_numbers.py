"""NaN and infinity are refused at parse time, for every number key of every section."""

import dataclasses

import pytest

from tapeout.errors import ConfigError
from tapeout.flow.config import all_sections, load_design
from tapeout.flow.schema import Float

PACKAGE = {"node": '"5nm"', "tiles_per_die": "10", "tile_area_um2": "1e6", "tile_fmax_mhz": "100.0",
           "tile_power_mw": "10.0"}  # a valid [package] stating its tile, so one bad key is the only fault
BASE = '[design]\nname = "t"\nclock_period_ns = 10\n[tensor_core]\nrows = 4\ncols = 4\n'


def float_keys():
    for section, cls in all_sections().items():
        for f in dataclasses.fields(cls):
            spec = f.metadata.get("spec")
            if isinstance(spec, Float) or (spec is None and "float" in str(f.type)):
                yield section, f.name


@pytest.mark.parametrize("literal", ["nan", "inf", "-inf"])
def test_every_float_key_refuses_non_finite_values(tmp_path, literal):
    keys = list(float_keys())
    assert ("signoff", "io_delay_fraction") in keys and ("package", "d0_per_cm2") in keys
    for section, key in keys:
        text = BASE if section in ("design", "tensor_core") else BASE + f"[{section}]\n"
        if section == "design":
            text = text.replace("clock_period_ns = 10", f"clock_period_ns = {literal}")
        elif section == "tensor_core":
            continue
        else:
            given = dict(PACKAGE) if section == "package" else {}
            given[key] = literal
            text += "".join(f"{k} = {v}\n" for k, v in given.items())
        path = tmp_path / "x.toml"
        path.write_text(text)
        with pytest.raises(ConfigError) as info:
            load_design(path)
        message = str(info.value)
        assert key in message and (literal in message or "finite" in message), (section, key, message)


def test_the_message_for_nan(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text(BASE + "[signoff]\nio_delay_fraction = nan\n")
    with pytest.raises(ConfigError, match=r"^.*x.toml: \[signoff\] io_delay_fraction must be a number from 0 "
                                          r"to 0.9, not nan$"):
        load_design(path)
