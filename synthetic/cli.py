"""Command line: ``csc-intel generate --out data/landing --seed 42``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from synthetic.generate import generate


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="csc-intel", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write synthetic partner extracts")
    gen.add_argument("--out", type=Path, default=Path("data/landing"), help="landing folder")
    gen.add_argument("--seed", type=int, default=42)
    gen.add_argument(
        "--children",
        type=int,
        default=None,
        help="children aged 0-17 at start (default 250000, or the LA's with --calibrate-to)",
    )
    gen.add_argument("--start", default="2016-04", help="first month, YYYY-MM")
    gen.add_argument("--end", default="2022-03", help="last month, YYYY-MM")
    gen.add_argument(
        "--la-code",
        default=None,
        help="three-digit DfE local authority code (default 938, or the --calibrate-to LA)",
    )
    gen.add_argument(
        "--scenario", type=Path, default=None, help="scenario YAML (default: England Covid-19)"
    )
    gen.add_argument(
        "--authorities", type=int, default=1, help="number of authorities (1 to 10), files per LA"
    )
    gen.add_argument(
        "--calibrate-to",
        default=None,
        metavar="LA_CODE",
        help="reproduce this DfE LA's published yearly referrals, s47s, ICPCs, CP plan "
        "starts and starts of care (codes: data/reference/published_statistics/)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        summary = generate(
            out_dir=args.out,
            seed=args.seed,
            children=args.children,
            start=args.start,
            end=args.end,
            la_code=args.la_code,
            scenario=args.scenario,
            authorities=args.authorities,
            calibrate_to=args.calibrate_to,
        )
    except (ValueError, FileNotFoundError) as exc:
        print(f"csc-intel generate: error: {exc}", file=sys.stderr)
        return 2
    for written in summary.written:
        print(f"{written.path}: {written.description}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
