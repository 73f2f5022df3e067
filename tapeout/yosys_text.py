"""Text of Yosys commands built from data: paths as single, safely quoted arguments."""

from tapeout.errors import TapeoutError


class YosysPathError(TapeoutError):
    """A path Yosys's command tokenizer cannot take as one argument."""


def quoted(path) -> str:
    """A path as one Yosys command argument, in double quotes: spaces, single quotes and non-ASCII
    letters survive Yosys's tokenizer. Yosys has no escape for a double quote inside a quoted
    argument, so a path holding one is refused with a one-line error."""
    text = str(path)
    if '"' in text or "\n" in text:
        raise YosysPathError(f"{text}: Yosys cannot read or write a path that contains a double quote or a "
                             "line break; rename the folder")
    return f'"{text}"'


def module_name(name: str) -> str:
    """A readable module name: ``$paramod\\acc\\W=s32'00000000000000000000000000000100`` (Yosys's name of
    a parameterised module's specialisation) becomes ``acc(W=4)``; other names lose their backslash."""
    if not name.startswith("$paramod"):
        return name[1:] if name.startswith("\\") else name
    parts = name.split("\\")[1:]
    params = []
    for part in parts[1:]:
        key, _, value = part.partition("=")
        bits = value.split("'", 1)[-1]
        if bits and set(bits) <= {"0", "1"}:
            number = int(bits, 2)
            if value.startswith("s") and bits[0] == "1":
                number -= 1 << len(bits)
            value = str(number)
        params.append(f"{key}={value}")
    return f"{parts[0]}({', '.join(params)})" if parts else name
