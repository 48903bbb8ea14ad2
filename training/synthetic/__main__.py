"""Command line of the synthetic generator (what it writes: the package docstring).

    python -m training.synthetic --out DIR --clients N --seed S [--format csv|parquet]

A bad argument or an output folder that cannot be written exits with code 2 and a message
that names the argument, never a traceback.
"""

import argparse
import sys
from pathlib import Path

from training import synthetic
from training.synthetic import MAX_CLIENTS, generate
from training.synthetic.writers import FORMATS


def _positive_int(text):
    """argparse type: a whole number >= 1, with an error that names the rule."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if not 1 <= value <= MAX_CLIENTS:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_CLIENTS}, got {value}")
    return value


def _seed(text):
    """argparse type: a whole number >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def main(argv=None):
    """CLI entry point: parse arguments, generate, print where the files went."""
    parser = argparse.ArgumentParser(
        prog="python -m training.synthetic", description=synthetic.__doc__.splitlines()[0]
    )
    parser.add_argument("--out", required=True, type=Path, help="output folder (created if absent)")
    parser.add_argument(
        "--clients", required=True, type=_positive_int, help="application_train rows"
    )
    parser.add_argument("--seed", type=_seed, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="csv",
        help="csv (the Kaggle files, default) or parquet (smaller, faster to read)",
    )
    args = parser.parse_args(argv)
    try:
        paths = generate(args.out, args.clients, args.seed, progress=True, file_format=args.format)
    except OSError as error:
        parser.error(f"--out: cannot write to {args.out}: {error.strerror}")
    print(f"wrote {len(paths)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
