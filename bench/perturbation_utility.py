"""What the cell key perturbation costs a design team: how far published figures move.

For surveys of 50, 200 and 1,000 responses, each question's answers (five options, a
realistic spread) are tallied, perturbed with our ptable (unbiased random rounding to
5) and, for comparison, with the ONS package's sample "10-5 rule" ptable. Reported:
mean absolute change of a count, share of counts changed, share of counts hidden
(published below 10), and mean absolute change of a percentage, in points.

Run: .venv/bin/python bench/perturbation_utility.py
"""

from __future__ import annotations

import random
import statistics

from dashboards.perturbation import KEY_RANGE, published_count

SHARES = (0.35, 0.3, 0.2, 0.1, 0.05)
THRESHOLD = 10
QUESTIONS = 400


def ten_five(count: int, _key: int) -> int:
    """The ONS sample ptable: counts under 10 to 0, others to the nearest 5."""
    if count < 10:
        return 0
    return 5 * round(count / 5)


def measure(size: int, perturb) -> tuple[float, float, float, float]:  # noqa: ANN001
    rng = random.Random(size)
    changes, changed, hidden, points = [], 0, 0, []
    cells = 0
    for _ in range(QUESTIONS):
        counts = [0] * len(SHARES)
        keys = [0] * len(SHARES)
        for _person in range(size):
            option = rng.choices(range(len(SHARES)), SHARES)[0]
            counts[option] += 1
            keys[option] += rng.randrange(KEY_RANGE)
        base = perturb(size, rng.randrange(KEY_RANGE) * size)
        for count, key in zip(counts, keys, strict=True):
            shown = perturb(count, key)
            cells += 1
            changes.append(abs(shown - count))
            changed += shown != count
            if shown < THRESHOLD:
                hidden += 1
            elif base:
                points.append(abs(100 * shown / base - 100 * count / size))
    return (
        statistics.mean(changes),
        changed / cells,
        hidden / cells,
        statistics.mean(points) if points else float("nan"),
    )


def main() -> None:
    print(
        "| responses | ptable | mean change | counts changed | counts hidden | "
        "mean change in % points |"
    )
    print("|---|---|---|---|---|---|")
    for size in (50, 200, 1000):
        for name, perturb in (
            ("random rounding to 5 (ours)", published_count),
            ("ONS 10-5 rule", ten_five),
        ):
            change, share, hidden, points = measure(size, perturb)
            print(f"| {size} | {name} | {change:.2f} | {share:.0%} | {hidden:.0%} | {points:.2f} |")


if __name__ == "__main__":
    main()
