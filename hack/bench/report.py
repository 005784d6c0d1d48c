"""Medians, ratios and plain-text / markdown tables for the benchmark's output."""

import random
import statistics


def median(values):
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def quartiles(values):
    """(first quartile, third quartile) of VALUES, None for fewer than two."""
    present = [value for value in values if value is not None]
    if len(present) < 2:
        return None
    low, _, high = statistics.quantiles(present, n=4, method="inclusive")
    return low, high


def bootstrap_median(values, level=0.95, resamples=2000, seed=7):
    """A percentile bootstrap interval for the median of VALUES: resample the values with
    replacement, take each resample's median, and keep the middle LEVEL of those medians. Seeded,
    so the same values always give the same interval. None for fewer than three values."""
    present = [value for value in values if value is not None]
    if len(present) < 3:
        return None
    draw = random.Random(seed)
    medians = sorted(statistics.median(draw.choices(present, k=len(present))) for _ in range(resamples))
    cut = int(resamples * (1.0 - level) / 2.0)
    return medians[cut], medians[resamples - 1 - cut]


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


def fmt_range(pair, digits=1):
    return "n/a" if pair is None else "[%.*f, %.*f]" % (digits, pair[0], digits, pair[1])


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
        """MET is True, False, None (not measured) or a text to print as it is."""
        self.rows.append([
            metric, fmt(ours, digits, suffix), fmt(austin, digits, suffix),
            fmt_ratio(ratio(ours, austin)) if with_ratio else "",
            goal, met if isinstance(met, str) else "n/a" if met is None else ("yes" if met else "NO")])

    def text(self):
        return table(self.HEADERS, self.rows)

    def markdown(self):
        return markdown(self.HEADERS, self.rows, numeric=(1, 2, 3))
