import numpy as np
import pytest

from tapeout.pnr.cts.balanced_tree import ClockBuffer, ClockWire, build_clock_tree

# SKY130-like figures: clkbuf input ~5 fF, ~0.1 ns, ~1.5 kOhm; met2 ~0.9 ohm/um, ~0.2 fF/um; flop clock pin ~1.7 fF
BUFFER = ClockBuffer(0.005, 0.1, 1.5)
WIRE = ClockWire(0.0009, 0.0002)


def _grid_sinks(n=32, pitch=20.0):
    x, y = np.meshgrid(np.arange(n) * pitch + 5, np.arange(n) * pitch + 5)
    return x.ravel(), y.ravel()


def test_grid_of_sinks_is_balanced_and_fully_reached():
    x, y = _grid_sinks()
    tree = build_clock_tree(x, y, 0.0017, BUFFER, WIRE, max_fanout=16)
    assert tree.skew_ns < 0.01 * tree.latency_ns
    assert np.sum(tree.parent == -1) == 1 and tree.parent[-1] == -1
    # every sink reaches the root going up, through buffers one level at a time
    for sink in range(tree.n_sinks):
        node, steps = sink, 0
        while tree.parent[node] >= 0:
            assert tree.level[tree.parent[node]] == tree.level[node] + 1
            node, steps = tree.parent[node], steps + 1
        assert node == len(tree.parent) - 1 and steps == tree.level[-1]
    fanout = np.bincount(tree.parent[tree.parent >= 0])
    assert fanout.max() <= 16
    # 1024 sinks / 16 = 64 leaf buffers, 4 above them, then the root
    assert tree.buffer_count == 64 + 4 + 1


def test_elmore_by_hand_for_two_sinks():
    tree = build_clock_tree([0.0, 10.0], [0.0, 0.0], 0.002, BUFFER, WIRE)
    assert tree.buffer_count == 1 and (tree.buffer_x_um[0], tree.buffer_y_um[0]) == (5.0, 0.0)
    load = 2 * (0.0002 * 5 + 0.002)
    expected = 0.1 + 1.5 * load + 0.0009 * 5 * (0.0002 * 5 / 2 + 0.002)
    assert tree.sink_latency_ns == pytest.approx([expected, expected])
    assert tree.skew_ns == pytest.approx(0.0)
    assert tree.wirelength_um == 10.0


def test_random_sinks_deterministic_with_bounded_skew():
    rng = np.random.default_rng(4)
    x, y = rng.uniform(0, 500, 700), rng.uniform(0, 500, 700)
    a = build_clock_tree(x, y, 0.0017, BUFFER, WIRE, max_fanout=8)
    b = build_clock_tree(x, y, 0.0017, BUFFER, WIRE, max_fanout=8)
    assert np.array_equal(a.arrival_ns, b.arrival_ns) and np.array_equal(a.parent, b.parent)
    assert a.skew_ns < 0.25 * a.latency_ns
    assert np.bincount(a.parent[a.parent >= 0]).max() <= 8


def test_bad_parameters():
    with pytest.raises(ValueError, match=r"^input_cap_pf must be a positive number, not 0$"):
        ClockBuffer(0, 0.1, 1.0)
    with pytest.raises(ValueError, match=r"^c_pf_per_um must be a non-negative number, not -1$"):
        ClockWire(0.001, -1)
    with pytest.raises(ValueError, match=r"^max_fanout must be an integer >= 2, not 1$"):
        build_clock_tree([0.0], [0.0], 0.001, BUFFER, WIRE, max_fanout=1)
    with pytest.raises(ValueError, match=r"^sink_x_um and sink_y_um must be non-empty 1-D arrays of one length"):
        build_clock_tree([], [], 0.001, BUFFER, WIRE)
    with pytest.raises(TypeError, match=r"^buffer must be a ClockBuffer, not 1$"):
        build_clock_tree([0.0], [0.0], 0.001, 1, WIRE)
