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
