"""Entry point: `python -m bench <scenario> [--save] [scenario options]`."""
from __future__ import annotations

import argparse
import importlib
import sys

SCENARIOS = {name: f"bench.{name}" for name in ("rooms", "workshop", "hotpath", "history", "reconnect", "capacity", "scaleout", "abuse")}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Collab benchmarks (figures, not tests).")
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--save", action="store_true", help="also write bench/results/<date>-<scenario>.json")
    args, rest = parser.parse_known_args()
    module = importlib.import_module(SCENARIOS[args.scenario])
    return module.run(rest, save=args.save)


if __name__ == "__main__":
    sys.exit(main())
