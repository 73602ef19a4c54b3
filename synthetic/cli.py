"""csc-intel: the platform's command line.

  generate  write synthetic partner extracts (csc-intel generate --out data/landing --seed 42)
  generate-partnership-returns  fill in the return template as the demo county's partners would
  run       refresh the warehouse and the outputs (refresh_all), or one source's part of them
  status    deliveries per source, freshness, the last run and its failed checks
  open      where the outputs are; --briefing opens the briefing
  check     test a landing folder or a file against the source contracts without loading it

Settings come from csc-intel.toml (in the current folder, or --config), each overridden by
its environment variable: see `orchestration/cli/config.py` and the README's operator guide."""

from __future__ import annotations

import argparse
import importlib
import sys
from datetime import date
from pathlib import Path

from synthetic.generate import GenerationSummary, generate

PROG = "csc-intel"


def build_parser() -> argparse.ArgumentParser:
    from orchestration.cli.parsers import add_operator_commands

    parser = argparse.ArgumentParser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help="the settings file (default: csc-intel.toml in the current folder, or the file "
        "CSC_INTEL_CONFIG names); environment variables override it",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser(
        "generate",
        help="write synthetic partner extracts",
        description="Write one synthetic county's partner extracts (CIN census, SSDA903, "
        "health, police, education, population) and the answer key (_truth/) under --out, "
        "marked as synthetic so the public demo key may protect them.",
    )
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
    gen.add_argument(
        "--summary",
        action="store_true",
        help="print each stage as it ends and a total, instead of one line per file written",
    )
    add_partnership_command(commands)
    add_operator_commands(commands)
    return parser


def add_partnership_command(commands: argparse._SubParsersAction) -> None:
    returns = commands.add_parser(
        "generate-partnership-returns",
        help="fill in the return template as the demo county's partners would",
        description="Read the questions register and the return template a run wrote under "
        "--outputs and write one filled-in return per partner into <landing>/partnership/, "
        "for the next run to read: decisions on the priority questions, a staff survey, "
        "focus-group themes, a case-file audit of the county's children and a shared plan.",
    )
    returns.add_argument("--outputs", type=Path, default=Path("data/outputs"))
    returns.add_argument("--landing", type=Path, default=Path("data/landing"))
    returns.add_argument("--seed", type=int, default=42)
    returns.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date of the returns, which the plan's reviews are set against (default: today)",
    )


def print_total(summary: GenerationSummary) -> None:
    """One line: the files written, in how many sources, and the county they describe."""
    folders = {w.path.relative_to(summary.out_dir).parts[0] for w in summary.written}
    sources = sorted(folder for folder in folders if not folder.startswith("_"))
    print(
        f"{summary.out_dir}: {len(summary.written)} files in {len(sources)} sources and the "
        f"answer key, LA {summary.la_code}, seed {summary.seed}: {summary.population:,} "
        f"children, {summary.referrals:,} referrals"
    )


def run_generate(args: argparse.Namespace) -> int:
    def stage(message: str) -> None:
        print(f"  {message}", flush=True)

    if args.summary:
        print(f"csc-intel generate: {args.start} to {args.end} into {args.out}", flush=True)
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
            progress=stage if args.summary else None,
        )
    except (ValueError, FileNotFoundError) as exc:
        print(f"{PROG} generate: error: {exc}", file=sys.stderr)
        return 2
    if args.summary:
        print_total(summary)
        return 0
    for written in summary.written:
        print(f"{written.path}: {written.description}")
    return 0


def run_partnership_returns(args: argparse.Namespace) -> int:
    from synthetic.partnership import generate_partnership_returns

    try:
        written = generate_partnership_returns(args.outputs, args.landing, args.seed, args.as_of)
    except (ValueError, FileNotFoundError) as exc:
        print(f"{PROG} generate-partnership-returns: error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"{path}: partnership return, filled in")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "generate":
        return run_generate(args)
    if args.command == "generate-partnership-returns":
        return run_partnership_returns(args)
    from orchestration.cli.config import ConfigError, apply_config

    try:
        apply_config(args.config)
    except ConfigError as error:
        print(f"{PROG} {args.command}: error: {error}", file=sys.stderr)
        return 2
    return importlib.import_module(args.module).main(args)


if __name__ == "__main__":
    sys.exit(main())
