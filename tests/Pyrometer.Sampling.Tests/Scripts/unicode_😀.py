"""Helper module for unicode_names.py: a file whose name holds an emoji (not importable by name).

unicode_names.py loads it with importlib and runs `spin_in_emoji_file` in a thread named "emoji".
"""


def spin_in_emoji_file():
    x = 0
    while True:
        x = (x * 31 + 7) % 1000003  # LINE: emoji
