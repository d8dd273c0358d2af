"""How long the free-text scrubber takes on a long answer full of disguised details.

Run: .venv/bin/python bench/scrub.py
"""

from __future__ import annotations

import timeit

from surveys.scrub import scrub

TEXT = ("I feel safe at school but not at the bus stop at 8. " * 20)[:1900] + (
    " ring O77OO 9OO 123 or jo at gmail dot com, snap: jo_b"
)


def main() -> None:
    scrub(TEXT)  # the phone library loads its metadata on first use
    runs = 200
    seconds = timeit.timeit(lambda: scrub(TEXT), number=runs) / runs
    print(f"scrub: {len(TEXT)} characters in {seconds * 1000:.2f} ms per answer")


if __name__ == "__main__":
    main()
