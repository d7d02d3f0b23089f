"""Time to render the round report PDF (reports/ only, no database).

    .venv/bin/python bench/report_render.py

Prints seconds for a commune (1,000 responses, 7 residential groups) and for a province
(100 communes, 100,000 responses), each the best of a few runs, in Vietnamese.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # run from anywhere

from reports.pdf import render_round_report  # noqa: E402
from reports.sample import sample_summary  # noqa: E402


def best_of(runs: int, summary) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        pdf = render_round_report(summary, "vi")
        times.append(time.perf_counter() - start)
        size = len(pdf)
    return min(times), size


def main() -> None:
    render_round_report(sample_summary(responses=50), "vi")   # font loading, once per process
    cases = [("commune, 1,000 responses", sample_summary(responses=1000)),
             ("province, 100 communes, 100,000 responses",
              sample_summary(children=100, responses=100_000))]
    for name, summary in cases:
        seconds, size = best_of(3, summary)
        print(f"{name}: {seconds:.3f} s  ({size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
