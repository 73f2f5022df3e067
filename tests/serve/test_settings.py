"""The [serve] section and the command-line values that override it: one-line messages."""

import pytest

from tapeout.errors import ConfigError, UsageError
from tapeout.flow.config import load_design
from tapeout.serve.settings import ServeSection, apply_options, model_of, parse_batches
from tests.conftest import ROOT

BASE = (ROOT / "designs" / "tc4x4.toml").read_text()


def design(tmp_path, serve: str):
    path = tmp_path / "d.toml"
    path.write_text(BASE + "\n[serve]\n" + serve)
    return path


def test_defaults_and_a_written_section(tmp_path):
    config = load_design(design(tmp_path, 'model = "llama-2-70b"\ntp = 2\nbatches = [1, 4]\nweight_bits = 8\n'))
    section = config.serve
    assert (section.model, section.tp, section.batches) == ("llama-2-70b", 2, (1, 4))
    assert model_of(section).weight_bits == 8
    assert ServeSection().model == "llama-2-7b" and ServeSection().batches == (1, 8, 64)


@pytest.mark.parametrize("serve, message", [
    ('model = "gpt-5"', "[serve] model must be one of 'llama-2-7b', 'llama-2-70b', 'llama-3-8b', not 'gpt-5'"),
    ("tp = 3", "[serve] tp 3 does not divide llama-2-7b's 32 attention heads; use one of 1, 2, 4, 8, 16, 32"),
    ("batches = [1, 0]", "[serve] batches must be a list of batch sizes, integers from 1 to 1048576, not [1, 0]"),
    ("prompt_tokens = 0", "[serve] prompt_tokens must be an integer from 1 to 16777216 (tokens), not 0"),
    ("compute_utilization = 0", "[serve] compute_utilization must be a number above 0 and up to 1, not 0.0"),
    ("hidden = 4001", "[serve] model llama-2-7b (reshaped): hidden 4001 must be a multiple of heads 32"),
])
def test_bad_serve_section(tmp_path, serve, message):
    path = design(tmp_path, serve)
    with pytest.raises(ConfigError) as info:
        load_design(path)
    assert info.value.lines == [f"{path}: {message}"]


def test_command_line_overrides():
    section = apply_options(ServeSection(), {"model": "llama-2-70b", "batch": "2, 16", "prompt": 100,
                                             "output": 10, "tp": 4})
    assert (section.model, section.batches, section.prompt_tokens, section.output_tokens, section.tp) == \
        ("llama-2-70b", (2, 16), 100, 10, 4)
    assert apply_options(ServeSection(), {}) == ServeSection()


@pytest.mark.parametrize("options, message", [
    ({"model": "gpt-5"}, r"unknown model 'gpt-5'; known models: llama-2-7b, llama-2-70b, llama-3-8b"),
    ({"batch": "1,x"}, r"--batch must be a comma-separated list of batch sizes such as 1,8,64, not '1,x'"),
    ({"batch": "0"}, r"--batch sizes must be from 1 to 1048576, not 0"),
    ({"prompt": 0}, r"--prompt must be from 1 to 16,777,216 tokens, not 0"),
    ({"output": 0}, r"--output must be from 1 to 16,777,216 tokens, not 0"),
    ({"model": "llama-2-70b", "tp": 3}, r"--tp 3 does not divide llama-2-70b's 64 attention heads"),
    ({"tp": 0}, r"tensor parallelism must be a positive integer, not 0"),
])
def test_bad_command_line_values(options, message):
    with pytest.raises(UsageError, match=message):
        apply_options(ServeSection(), options)


def test_parse_batches():
    assert parse_batches("1,8,64") == (1, 8, 64)
