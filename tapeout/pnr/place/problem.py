"""The placement problem: the flat arrays the placer, legaliser and checker work on.

Cells are rectangles given by their lower-left corner; a pin sits at an offset from
its cell's lower-left corner; nets list pins in CSR form (``net_pins[net_ptr[n]:
net_ptr[n + 1]]`` are the pins of net ``n``). I/O pins are zero-size fixed cells.
All lengths are in micrometres (um).
"""

import dataclasses
from dataclasses import dataclass

import numpy as np

__all__ = ["PlacementProblem"]


def _positive(name, value):
    if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(value, bool) \
            or not value > 0:
        raise ValueError(f"{name} must be a positive number, not {value!r}")
    return float(value)


def _array(name, value, dtype, length, length_name):
    array = np.ascontiguousarray(value, dtype=dtype)
    if array.ndim != 1 or (length is not None and array.shape[0] != length):
        raise ValueError(f"{name} must be a 1-D array of {length_name} values, "
                         f"not an array of shape {array.shape}")
    return array


def _check_rows(rows, core, row_height):
    rows = np.array(rows, dtype=np.float64)
    if rows.ndim != 2 or rows.shape[1] != 3 or rows.shape[0] == 0:
        raise ValueError(f"rows must be an array of (y, x0, x1) triples, not an array of shape {rows.shape}")
    if not np.all(np.isfinite(rows)) or np.any(rows[:, 2] <= rows[:, 1]):
        raise ValueError("rows must be finite with x1 > x0")
    eps = 1e-6
    if np.any(rows[:, 0] < core[1] - eps) or np.any(rows[:, 0] + row_height > core[3] + eps) \
            or np.any(rows[:, 1] < core[0] - eps) or np.any(rows[:, 2] > core[2] + eps):
        raise ValueError(f"rows must lie inside the core {core!r}")
    rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
    same = rows[1:, 0] == rows[:-1, 0]
    if np.any(same & (rows[1:, 1] < rows[:-1, 2] - eps)):
        raise ValueError("rows must not overlap: two sub-rows of one row share an x range")
    ys = np.unique(rows[:, 0])
    if np.any(np.diff(ys) < row_height - eps):
        raise ValueError(f"rows must not overlap: rows start less than the row height {row_height:g} um apart")
    return rows


@dataclass(eq=False)
class PlacementProblem:
    """Cells, nets and the core region of one placement instance.

    Parameters
    ----------
    width, height : array of float, shape (n_cells,)
        Cell sizes, um. I/O pins are fixed cells of size 0.
    movable : array of bool, shape (n_cells,)
        True for cells the placer may move; fixed cells are macros and I/O pins.
    x, y : array of float, shape (n_cells,)
        Lower-left corners, um: the location of fixed cells, a starting point for
        movable ones.
    net_ptr : array of int, shape (n_nets + 1,)
        CSR row pointer of nets into ``net_pins``.
    net_pins : array of int
        Pin indices, grouped by net.
    pin_cell : array of int, shape (n_pins,)
        The cell each pin belongs to.
    pin_dx, pin_dy : array of float, shape (n_pins,)
        Pin offsets from the cell's lower-left corner, um.
    net_weight : array of float, shape (n_nets,)
        Net weights (1 for plain wirelength).
    net_ignored : array of bool, shape (n_nets,)
        Nets left out of the placement cost (clock, reset, high fanout).
    core : tuple of 4 float
        Core region ``(x0, y0, x1, y1)``, um; rows start at ``y0``, sites at ``x0``.
    row_height, site_width : float
        Standard-cell row height and placement site width, um.
    cell_names : sequence of str
        Cell instance names, for reports.
    net_names : sequence of str
        Net names, for reports (may be empty).
    halo : float
        Clearance kept around fixed macros, um.
    rows : array of float, shape (n_subrows, 3), or None
        Placement rows as ``(y, x0, x1)``: lower edge and horizontal extent, um, each one
        ``row_height`` tall (several entries may share a ``y``: sub-rows). None: rows of
        ``row_height`` tile the core from ``y0``. Given rows may leave gaps between them.
    """

    width: np.ndarray
    height: np.ndarray
    movable: np.ndarray
    x: np.ndarray
    y: np.ndarray
    net_ptr: np.ndarray
    net_pins: np.ndarray
    pin_cell: np.ndarray
    pin_dx: np.ndarray
    pin_dy: np.ndarray
    net_weight: np.ndarray
    net_ignored: np.ndarray
    core: tuple
    row_height: float
    site_width: float
    cell_names: tuple
    net_names: tuple = ()
    halo: float = 0.0
    rows: np.ndarray | None = None

    def __post_init__(self):
        self.width = _array("width", self.width, np.float64, None, "n_cells")
        n_cells = self.width.shape[0]
        self.height = _array("height", self.height, np.float64, n_cells, "n_cells")
        self.movable = _array("movable", self.movable, np.bool_, n_cells, "n_cells")
        self.x = _array("x", self.x, np.float64, n_cells, "n_cells")
        self.y = _array("y", self.y, np.float64, n_cells, "n_cells")
        if np.any(self.width < 0) or np.any(self.height < 0):
            raise ValueError("width and height must be non-negative")
        self.net_ptr = _array("net_ptr", self.net_ptr, np.int64, None, "n_nets + 1")
        if self.net_ptr.shape[0] < 1 or self.net_ptr[0] != 0 or np.any(np.diff(self.net_ptr) < 0):
            raise ValueError("net_ptr must start at 0 and never decrease")
        n_nets = self.net_ptr.shape[0] - 1
        self.net_pins = _array("net_pins", self.net_pins, np.int64, int(self.net_ptr[-1]),
                               "net_ptr[-1]")
        self.pin_cell = _array("pin_cell", self.pin_cell, np.int64, None, "n_pins")
        n_pins = self.pin_cell.shape[0]
        if n_pins and (self.pin_cell.min() < 0 or self.pin_cell.max() >= n_cells):
            raise ValueError(f"pin_cell must index cells 0 to {n_cells - 1}")
        if self.net_pins.size and (self.net_pins.min() < 0 or self.net_pins.max() >= n_pins):
            raise ValueError(f"net_pins must index pins 0 to {n_pins - 1}")
        self.pin_dx = _array("pin_dx", self.pin_dx, np.float64, n_pins, "n_pins")
        self.pin_dy = _array("pin_dy", self.pin_dy, np.float64, n_pins, "n_pins")
        self.net_weight = _array("net_weight", self.net_weight, np.float64, n_nets, "n_nets")
        if np.any(self.net_weight < 0):
            raise ValueError("net_weight must be non-negative")
        self.net_ignored = _array("net_ignored", self.net_ignored, np.bool_, n_nets, "n_nets")
        if len(self.core) != 4:
            raise ValueError(f"core must be (x0, y0, x1, y1), not {self.core!r}")
        self.core = tuple(float(v) for v in self.core)
        if not (self.core[2] > self.core[0] and self.core[3] > self.core[1]):
            raise ValueError(f"core must have x1 > x0 and y1 > y0, not {self.core!r}")
        self.row_height = _positive("row_height", self.row_height)
        self.site_width = _positive("site_width", self.site_width)
        if not isinstance(self.halo, (int, float)) or self.halo < 0:
            raise ValueError(f"halo must be a non-negative number, not {self.halo!r}")
        self.halo = float(self.halo)
        self.cell_names = tuple(self.cell_names)
        if len(self.cell_names) != n_cells:
            raise ValueError(f"cell_names must have {n_cells} names, not {len(self.cell_names)}")
        if self.rows is not None:
            self.rows = _check_rows(self.rows, self.core, self.row_height)
        self.net_names = tuple(self.net_names)
        if self.net_names and len(self.net_names) != n_nets:
            raise ValueError(f"net_names must have {n_nets} names or none, "
                             f"not {len(self.net_names)}")

    @property
    def n_cells(self):
        return self.width.shape[0]

    @property
    def n_nets(self):
        return self.net_ptr.shape[0] - 1

    @property
    def n_pins(self):
        return self.pin_cell.shape[0]

    @property
    def n_movable(self):
        return int(np.count_nonzero(self.movable))

    @property
    def n_rows(self):
        """Number of rows: whole rows in the core, or the distinct ``y`` of the given rows."""
        if self.rows is not None:
            return int(np.unique(self.rows[:, 0]).shape[0])
        return int(np.floor((self.core[3] - self.core[1]) / self.row_height + 1e-9))

    @property
    def fanout(self):
        """Pins per net, shape (n_nets,)."""
        return np.diff(self.net_ptr)

    @property
    def pin_net(self):
        """The net of each entry of ``net_pins``, shape (net_ptr[-1],)."""
        return np.repeat(np.arange(self.n_nets, dtype=np.int64), self.fanout)

    def ignoring_nets(self, fanout_threshold=None, names=()):
        """Return a copy with nets above a fanout, or named ones, left out of the cost.

        Parameters
        ----------
        fanout_threshold : int or None
            Nets with more pins than this are ignored (clock, reset, enables).
        names : iterable of str
            Net names to ignore whatever their fanout (needs ``net_names``).
        """
        ignored = self.net_ignored.copy()
        if fanout_threshold is not None:
            if not isinstance(fanout_threshold, (int, np.integer)) or fanout_threshold < 2:
                raise ValueError(f"fanout_threshold must be an integer of at least 2, "
                                 f"not {fanout_threshold!r}")
            ignored |= self.fanout > fanout_threshold
        names = set(names)
        if names:
            index = {name: n for n, name in enumerate(self.net_names)}
            unknown = sorted(names - index.keys())
            if unknown:
                raise ValueError(f"names lists nets that do not exist: {', '.join(unknown)}")
            ignored[[index[name] for name in names]] = True
        return dataclasses.replace(self, net_ignored=ignored)

    def cell_nets(self, net_mask):
        """Nets of each cell in CSR form, each net once per cell.

        Parameters
        ----------
        net_mask : array of bool, shape (n_nets,)
            Only these nets are listed.

        Returns
        -------
        cell_net_ptr : array of int64, shape (n_cells + 1,)
        cell_nets : array of int64
        """
        cells = self.pin_cell[self.net_pins]
        nets = self.pin_net
        keep = net_mask[nets]
        pairs = np.unique(cells[keep] * np.int64(self.n_nets + 1) + nets[keep])
        pair_cells = pairs // (self.n_nets + 1)
        cell_nets = pairs % (self.n_nets + 1)
        ptr = np.zeros(self.n_cells + 1, dtype=np.int64)
        np.cumsum(np.bincount(pair_cells, minlength=self.n_cells), out=ptr[1:])
        return ptr, cell_nets.astype(np.int64)
