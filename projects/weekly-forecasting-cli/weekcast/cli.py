"""Command line: ``weekcast backtest`` and ``weekcast forecast``.

Examples:
    python -m weekcast backtest --dataset co2 --since 1965-01-01 --horizon 52 --folds 5 \
        --plot images/backtest.png
    python -m weekcast forecast --csv sales.csv --date-column week --value-column units \
        --model holt-winters --horizon 13
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from weekcast import __version__
from weekcast.backtest import backtest, summary
from weekcast.data import DATASETS, DataError, load_csv, to_weekly
from weekcast.models import MODELS, make


def _add_input(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--dataset", choices=list(DATASETS), help="a bundled series (default co2)")
    source.add_argument("--csv", type=Path, help="a CSV with a date and a value column")
    parser.add_argument("--date-column", default="date")
    parser.add_argument("--value-column", default="value")
    parser.add_argument(
        "--max-gap",
        type=int,
        default=4,
        help="longest run of missing weeks to interpolate (default 4)",
    )
    parser.add_argument(
        "--gaps",
        choices=["interpolate", "drop"],
        default="interpolate",
        help="drop: the 2022 behaviour, misaligns the season (comparison only)",
    )
    parser.add_argument("--since", help="drop the weeks before this date (YYYY-MM-DD)")
    parser.add_argument("--horizon", type=int, default=52, help="weeks ahead (default 52)")


def _positive(parser: argparse.ArgumentParser, **values: int) -> None:
    for name, value in values.items():
        if value < 1:
            parser.error(f"--{name} must be at least 1, got {value}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="weekcast", description="Weekly forecasts, backtested.")
    parser.add_argument("--version", action="version", version=f"weekcast {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    bt = sub.add_parser("backtest", help="rolling-origin backtest of several models")
    _add_input(bt)
    bt.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    bt.add_argument("--folds", type=int, default=5)
    bt.add_argument("--step", type=int, default=52, help="weeks between origins (default 52)")
    bt.add_argument("--format", choices=["table", "csv", "json"], default="table")
    bt.add_argument("--plot", type=Path, help="write a PNG of the last fold's forecasts")

    fc = sub.add_parser("forecast", help="fit one model on all data and forecast")
    _add_input(fc)
    fc.add_argument("--model", default="holt-winters", choices=list(MODELS))
    fc.add_argument("--out", type=Path, help="write date,forecast CSV here instead of stdout")
    return parser


def _series(args: argparse.Namespace) -> pd.Series:
    if args.csv is not None:
        raw = load_csv(args.csv, args.date_column, args.value_column)
    else:
        raw = DATASETS[args.dataset or "co2"]()
    return to_weekly(raw, max_gap=args.max_gap, since=args.since, gaps=args.gaps)


def _backtest(args: argparse.Namespace, series: pd.Series) -> int:
    scores = backtest(series.to_numpy(), args.models, args.horizon, args.folds, args.step)
    rows = summary(scores)
    if args.format == "json":
        print(json.dumps(rows, indent=2))
    elif args.format == "csv":
        print(pd.DataFrame(rows).to_csv(index=False, float_format="%.4f"), end="")
    else:
        print(
            f"{len(series)} weeks, {series.index[0].date()} to {series.index[-1].date()}; "
            f"{args.folds} folds of {args.horizon} weeks"
        )
        print(f"{'model':16s} {'MAE':>8s} {'MAPE %':>8s} {'MASE':>8s} {'worst MASE':>11s}")
        for r in rows:
            print(
                f"{r['model']!s:16s} {r['mae']:8.3f} {r['mape']:8.3f} {r['mase']:8.3f} "
                f"{r['worst_mase']:11.3f}"
            )
    if args.plot is not None:
        from weekcast.plot import plot_last_fold

        plot_last_fold(series, args.models, args.horizon, args.plot)
        print(f"wrote {args.plot}", file=sys.stderr)
    return 0


def _forecast(args: argparse.Namespace, series: pd.Series) -> int:
    values = make(args.model).fit(series.to_numpy()).predict(args.horizon)
    dates = pd.date_range(series.index[-1], periods=args.horizon + 1, freq="7D")[1:]
    frame = pd.DataFrame({"date": dates.date, "forecast": values.round(4)})
    if args.out is not None:
        frame.to_csv(args.out, index=False)
        print(f"wrote {len(frame)} weeks to {args.out}", file=sys.stderr)
    else:
        print(frame.to_csv(index=False), end="")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _positive(
        parser,
        horizon=args.horizon,
        **({"folds": args.folds, "step": args.step} if args.command == "backtest" else {}),
    )
    try:
        series = _series(args)
        if args.command == "backtest":
            return _backtest(args, series)
        return _forecast(args, series)
    except (DataError, ValueError) as exc:
        print(f"weekcast: error: {exc}", file=sys.stderr)
        return 2
