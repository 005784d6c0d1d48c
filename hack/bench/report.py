"""Medians, ratios and plain-text / markdown tables for the benchmark's output."""

import statistics


def median(values):
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def ratio(ours, theirs):
    if ours is None or theirs is None or theirs == 0:
        return None
    return ours / theirs


def fmt(value, digits=1, suffix=""):
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    return "%.*f%s" % (digits, value, suffix)


def fmt_ratio(value):
    return "n/a" if value is None else "%.2f" % value


def table(headers, rows):
    """A fixed-width text table; every cell is already a string."""
    widths = [len(header) for header in headers]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))
    lines = ["  ".join(header.ljust(widths[index]) for index, header in enumerate(headers)).rstrip(),
             "  ".join("-" * width for width in widths)]
    for row in rows:
        lines.append("  ".join(cell.rjust(widths[index]) if index else cell.ljust(widths[index])
                               for index, cell in enumerate(row)).rstrip())
    return "\n".join(lines)


def markdown(headers, rows, numeric=None):
    """A markdown table; the columns in NUMERIC (indexes; default all but the first) align right."""
    numeric = set(range(1, len(headers))) if numeric is None else set(numeric)
    escape = lambda cell: cell.replace("|", "\\|")
    align = lambda index: "---:" if index in numeric else "---"
    lines = ["| " + " | ".join(escape(header) for header in headers) + " |",
             "|" + "|".join(align(index) for index in range(len(headers))) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(escape(cell) for cell in row) + " |")
    return "\n".join(lines)


class Summary:
    """The closing table: metric | ours | austin | ratio | goal | met?"""

    HEADERS = ["metric", "ours", "austin", "ratio", "goal", "met?"]

    def __init__(self):
        self.rows = []

    def add(self, metric, ours, austin, goal, met, digits=1, suffix="", with_ratio=True):
        """MET is True, False or None (not measured)."""
        self.rows.append([
            metric, fmt(ours, digits, suffix), fmt(austin, digits, suffix),
            fmt_ratio(ratio(ours, austin)) if with_ratio else "",
            goal, "n/a" if met is None else ("yes" if met else "NO")])

    def text(self):
        return table(self.HEADERS, self.rows)

    def markdown(self):
        return markdown(self.HEADERS, self.rows, numeric=(1, 2, 3))
