"""Timing constraints and the SDC subset that carries them.

Supported commands (Synopsys Design Constraints, the subset OpenSTA users write
first)::

    create_clock -name clk -period 10 [-waveform {0 5}] [get_ports clk]
    set_clock_transition 0.1 [get_clocks clk]
    set_propagated_clock [get_clocks clk]      (or [all_clocks]: clock arrival through the clock tree)
    set_input_delay [-max|-min] 2.0 -clock clk [get_ports {a b*}]
    set_output_delay [-max|-min] 1.5 -clock clk [get_ports y]
    set_input_transition 0.05 [get_ports {a b}]
    set_false_path [-from <objects>] [-to <objects>]
    set_max_delay 3.0 [-from <objects>] [-to <objects>]

Objects are ``[get_ports p]``, ``[get_cells c]``, ``[get_pins c/P]`` or
``[get_clocks c]`` with ``*``/``?`` wildcards; a bus name matches its bits. Times in
ns. Anything else is a :class:`SdcError` naming the file and line.
"""

import re
from dataclasses import dataclass, field

from tapeout.errors import TapeoutError

__all__ = ["SdcError", "Clock", "IoDelay", "PathException", "Constraints", "parse_sdc",
           "read_sdc", "write_sdc", "format_sdc"]


class SdcError(TapeoutError):
    """An SDC file this reader cannot accept (one line: file, line number, reason)."""


@dataclass(frozen=True)
class ObjectRef:
    """``kind`` is ``port``, ``cell``, ``pin`` or ``clock``; ``patterns`` are glob patterns."""

    kind: str
    patterns: tuple

    def to_sdc(self):
        body = self.patterns[0] if len(self.patterns) == 1 else "{" + " ".join(self.patterns) + "}"
        return f"[get_{self.kind}s {body}]"


@dataclass(frozen=True)
class Clock:
    """A clock of ``period_ns`` on port ``port`` (None for a virtual clock)."""

    name: str
    period_ns: float
    port: str | None = None
    transition_ns: float = 0.0


@dataclass(frozen=True)
class IoDelay:
    """An input or output delay (ns) of ``ports`` relative to ``clock``; ``corner`` is
    ``max``, ``min`` or ``both``."""

    ports: ObjectRef
    clock: str
    delay_ns: float
    corner: str = "both"


@dataclass(frozen=True)
class PathException:
    """A false path (``max_delay_ns`` None) or a max-delay constraint between objects."""

    from_: tuple = ()
    to: tuple = ()
    max_delay_ns: float | None = None


@dataclass
class Constraints:
    """Everything :func:`tapeout.signoff.sta.run_sta` needs besides the netlist."""

    clocks: list = field(default_factory=list)
    input_delays: list = field(default_factory=list)
    output_delays: list = field(default_factory=list)
    input_transitions: list = field(default_factory=list)
    exceptions: list = field(default_factory=list)
    propagated: set = field(default_factory=set)

    def clock(self, name):
        for clock in self.clocks:
            if clock.name == name:
                return clock
        raise KeyError(name)


def _tokens(line):
    """Tcl-like words of one command: ``{...}`` and ``"..."`` group, ``[...]`` is kept whole."""
    words, i, n = [], 0, len(line)
    while i < n:
        c = line[i]
        if c.isspace():
            i += 1
            continue
        if c == "\"":
            j = line.find("\"", i + 1)
            if j < 0:
                raise ValueError("unbalanced '\"'")
            words.append(line[i + 1:j])
            i = j + 1
            continue
        if c in "{[":
            close = "}" if c == "{" else "]"
            depth, j = 0, i
            while j < n:
                depth += (line[j] == c) - (line[j] == close)
                if depth == 0:
                    break
                j += 1
            if j >= n:
                raise ValueError(f"unbalanced {c!r}")
            words.append(line[i:j + 1] if c == "[" else line[i + 1:j])
            i = j + 1
        else:
            j = i
            while j < n and not line[j].isspace():
                j += 1
            words.append(line[i:j])
            i = j
    return words


def _number(word, what):
    try:
        return float(word)
    except ValueError:
        raise ValueError(f"{what} must be a number, not {word!r}") from None


def _object(word):
    match = re.fullmatch(r"\[\s*get_(ports|cells|pins|clocks)\s+(.*?)\s*\]", word, re.S)
    if match:
        kind, body = match.group(1)[:-1], match.group(2).strip()
        if body.startswith("{") and body.endswith("}"):
            body = body[1:-1]
        patterns = tuple(body.split())
        if not patterns:
            raise ValueError(f"get_{kind}s needs a name")
        return ObjectRef(kind, patterns)
    if word.startswith("["):
        raise ValueError(f"unsupported object query {word!r} (get_ports, get_cells, get_pins, "
                         f"get_clocks)")
    return ObjectRef("port", tuple(word.split()))


def _options(words, flags, valued):
    """Split ``words`` into (flag set, option values, positional words)."""
    seen, values, rest, i = set(), {}, [], 0
    while i < len(words):
        w = words[i]
        if w in flags:
            seen.add(w)
        elif w in valued:
            if i + 1 >= len(words):
                raise ValueError(f"option {w} needs a value")
            values[w] = words[i + 1]
            i += 1
        elif w.startswith("-") and not re.fullmatch(r"-[0-9.]+(e-?[0-9]+)?", w):
            raise ValueError(f"unsupported option {w}")
        else:
            rest.append(w)
        i += 1
    return seen, values, rest


def _apply(constraints, words):
    command, args = words[0], words[1:]
    if command == "create_clock":
        _, values, rest = _options(args, (), ("-name", "-period", "-waveform"))
        if "-period" not in values:
            raise ValueError("create_clock needs -period")
        period = _number(values["-period"], "-period")
        if not period > 0:
            raise ValueError(f"-period must be positive, not {values['-period']}")
        port = None
        if rest:
            ref = _object(rest[0])
            if ref.kind != "port" or len(ref.patterns) != 1:
                raise ValueError("create_clock takes one port: [get_ports clk]")
            port = ref.patterns[0]
        name = values.get("-name", port)
        if name is None:
            raise ValueError("create_clock needs -name or a port")
        constraints.clocks.append(Clock(name, period, port))
    elif command == "set_clock_transition":
        _, _, rest = _options(args, ("-rise", "-fall", "-min", "-max"), ())
        if len(rest) != 2:
            raise ValueError("set_clock_transition takes a value and [get_clocks ...]")
        value = _number(rest[0], "transition")
        ref = _object(rest[1])
        names = {c.name for c in constraints.clocks}
        for i, clock in enumerate(constraints.clocks):
            if any(_glob(p).fullmatch(clock.name) for p in ref.patterns):
                constraints.clocks[i] = Clock(clock.name, clock.period_ns, clock.port, value)
        if not any(_glob(p).fullmatch(n) for p in ref.patterns for n in names):
            raise ValueError(f"no clock matches {' '.join(ref.patterns)}")
    elif command == "set_propagated_clock":
        if len(args) != 1:
            raise ValueError("set_propagated_clock takes [get_clocks ...] or [all_clocks]")
        names = [c.name for c in constraints.clocks]
        if re.fullmatch(r"\[\s*all_clocks\s*\]", args[0]):
            chosen = names
        else:
            ref = _object(args[0])
            if ref.kind != "clock":
                raise ValueError("set_propagated_clock takes clocks: [get_clocks ...] or [all_clocks]")
            chosen = [n for n in names if any(_glob(p).fullmatch(n) for p in ref.patterns)]
            if not chosen:
                raise ValueError(f"no clock matches {' '.join(ref.patterns)}")
        constraints.propagated.update(chosen)
    elif command in ("set_input_delay", "set_output_delay"):
        flags, values, rest = _options(args, ("-max", "-min", "-add_delay"), ("-clock",))
        if "-clock" not in values:
            raise ValueError(f"{command} needs -clock")
        if len(rest) != 2:
            raise ValueError(f"{command} takes a delay and [get_ports ...]")
        clock = values["-clock"]
        if clock not in {c.name for c in constraints.clocks}:
            raise ValueError(f"unknown clock {clock!r} (create_clock it first)")
        corner = "max" if flags == {"-max"} else "min" if flags == {"-min"} else "both"
        delay = IoDelay(_object(rest[1]), clock, _number(rest[0], "delay"), corner)
        (constraints.input_delays if command == "set_input_delay"
         else constraints.output_delays).append(delay)
    elif command == "set_input_transition":
        _, _, rest = _options(args, ("-max", "-min", "-rise", "-fall"), ())
        if len(rest) != 2:
            raise ValueError("set_input_transition takes a value and [get_ports ...]")
        constraints.input_transitions.append((_object(rest[1]), _number(rest[0], "transition")))
    elif command in ("set_false_path", "set_max_delay"):
        _, values, rest = _options(args, ("-setup",), ("-from", "-to"))
        delay = None
        if command == "set_max_delay":
            if len(rest) != 1:
                raise ValueError("set_max_delay takes one delay value")
            delay = _number(rest[0], "delay")
        elif rest:
            raise ValueError(f"unexpected argument {rest[0]!r}")
        if "-from" not in values and "-to" not in values:
            raise ValueError(f"{command} needs -from or -to")
        constraints.exceptions.append(PathException(
            tuple([_object(values["-from"])]) if "-from" in values else (),
            tuple([_object(values["-to"])]) if "-to" in values else (), delay))
    else:
        raise ValueError(f"unsupported command {command!r}")


def _lines(text):
    """(line number, command text) with ``\\`` continuations joined and comments dropped."""
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not pending:
            start = number
            if line.lstrip().startswith("#"):
                continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        command = (pending + line).strip()
        pending = ""
        for part in command.split(";"):
            if part.strip():
                yield start, part.strip()
    if pending.strip():
        yield start, pending.strip()


def parse_sdc(text, source="<sdc>"):
    """Constraints of the SDC ``text``; ``source`` names it in errors."""
    constraints = Constraints()
    for number, command in _lines(text):
        try:
            _apply(constraints, _tokens(command))
        except ValueError as error:
            raise SdcError(f"{source}:{number}: {error}") from None
    return constraints


def read_sdc(path):
    """Constraints of the SDC file at ``path``."""
    try:
        with open(path) as handle:
            text = handle.read()
    except OSError as error:
        raise SdcError(f"{path}: cannot read SDC file: {error.strerror}") from None
    return parse_sdc(text, str(path))


def _fmt(value):
    return f"{value:.6g}"


def format_sdc(constraints):
    """SDC text of ``constraints`` (read back by :func:`parse_sdc` to the same object)."""
    lines = []
    for c in constraints.clocks:
        target = f" [get_ports {c.port}]" if c.port else ""
        lines.append(f"create_clock -name {c.name} -period {_fmt(c.period_ns)}{target}")
        if c.transition_ns:
            lines.append(f"set_clock_transition {_fmt(c.transition_ns)} [get_clocks {c.name}]")
        if c.name in constraints.propagated:
            lines.append(f"set_propagated_clock [get_clocks {c.name}]")
    for command, delays in (("set_input_delay", constraints.input_delays),
                            ("set_output_delay", constraints.output_delays)):
        for d in delays:
            corner = "" if d.corner == "both" else f"-{d.corner} "
            lines.append(f"{command} {corner}{_fmt(d.delay_ns)} -clock {d.clock} {d.ports.to_sdc()}")
    for ports, value in constraints.input_transitions:
        lines.append(f"set_input_transition {_fmt(value)} {ports.to_sdc()}")
    for e in constraints.exceptions:
        parts = ["set_false_path" if e.max_delay_ns is None else f"set_max_delay {_fmt(e.max_delay_ns)}"]
        parts += [f"-from {r.to_sdc()}" for r in e.from_] + [f"-to {r.to_sdc()}" for r in e.to]
        lines.append(" ".join(parts))
    return "\n".join(lines) + "\n"


def write_sdc(constraints, path):
    """Write ``constraints`` as SDC to ``path``."""
    with open(path, "w") as handle:
        handle.write(format_sdc(constraints))


def _glob(pattern):
    """Compiled regex of an SDC glob (``*``, ``?``; brackets are literal bus indices)."""
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                              for c in pattern))


def match_names(patterns, names):
    """Indices of ``names`` matching any glob of ``patterns``; a pattern also matches
    the bits ``name[i]`` of a bus ``name``."""
    regexes = [_glob(p) for p in patterns]
    hits = []
    for k, name in enumerate(names):
        base = name.split("[", 1)[0]
        if any(r.fullmatch(name) or r.fullmatch(base) for r in regexes):
            hits.append(k)
    return hits
