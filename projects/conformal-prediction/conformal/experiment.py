"""Repeated random splits: how often do the sets cover, and how large are they?

    python -m conformal.experiment --reps 100 --out results

writes ``results/results.md`` (the tables in the write-up), ``results/results.csv`` and
``images/coverage.png`` (the cover figure).
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from conformal.metrics import class_coverage, coverage, mean_set_size, singleton_rate, summarize
from conformal.predictors import SplitConformalClassifier, naive_sets

DATASETS: dict[str, Callable[..., Any]] = {
    "digits": load_digits,
    "breast_cancer": load_breast_cancer,
    "wine": load_wine,
}
MODELS: dict[str, Callable[[], Any]] = {
    "logreg": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
    "naive_bayes": GaussianNB,
}
METHODS = ("naive", "lac", "aps")


@dataclass
class Row:
    dataset: str
    model: str
    method: str
    alpha: float
    coverage: float
    coverage_std: float
    set_size: float
    singletons: float
    empty: float
    worst_class: float
    accuracy: float


def one_split(
    X: Any, y: Any, model_name: str, alphas: Sequence[float], seed: int
) -> dict[tuple[str, float], dict[str, float]]:
    """Train 50%, calibrate 25%, test 25%; every method and alpha on the same split."""
    X_train, X_rest, y_train, y_rest = train_test_split(
        X, y, train_size=0.5, stratify=y, random_state=seed
    )
    X_cal, X_test, y_cal, y_test = train_test_split(
        X_rest, y_rest, train_size=0.5, stratify=y_rest, random_state=seed
    )
    model = MODELS[model_name]().fit(X_train, y_train)
    proba = model.predict_proba(X_test)
    y_idx = np.searchsorted(model.classes_, y_test)
    accuracy = float((proba.argmax(axis=1) == y_idx).mean())
    out: dict[tuple[str, float], dict[str, float]] = {}
    for alpha in alphas:
        for method in METHODS:
            if method == "naive":
                sets = naive_sets(proba, alpha)
            else:
                cp = SplitConformalClassifier(model, alpha, score=method, seed=seed)  # type: ignore[arg-type]
                sets = cp.calibrate(X_cal, y_cal).predict_sets(X_test)
            out[(method, alpha)] = {
                "coverage": coverage(sets, y_idx),
                "set_size": mean_set_size(sets),
                "singletons": singleton_rate(sets),
                "empty": float((sets.sum(axis=1) == 0).mean()),
                "worst_class": min(class_coverage(sets, y_idx).values()),
                "accuracy": accuracy,
            }
    return out


def run(
    datasets: Sequence[str],
    models: Sequence[str],
    alphas: Sequence[float],
    reps: int,
    seed: int = 0,
) -> list[Row]:
    rows: list[Row] = []
    for name in datasets:
        X, y = DATASETS[name](return_X_y=True)
        for model_name in models:
            runs = [one_split(X, y, model_name, alphas, seed + r) for r in range(reps)]
            for alpha in alphas:
                for method in METHODS:
                    vals = [r[(method, alpha)] for r in runs]
                    cov, cov_std = summarize([v["coverage"] for v in vals])
                    rows.append(
                        Row(
                            name,
                            model_name,
                            method,
                            alpha,
                            cov,
                            cov_std,
                            summarize([v["set_size"] for v in vals])[0],
                            summarize([v["singletons"] for v in vals])[0],
                            summarize([v["empty"] for v in vals])[0],
                            summarize([v["worst_class"] for v in vals])[0],
                            summarize([v["accuracy"] for v in vals])[0],
                        )
                    )
    return rows


def to_markdown(rows: Sequence[Row], alpha: float) -> str:
    lines = [
        "| dataset | model | top-1 acc. | method | coverage (target "
        f"{1 - alpha:.2f}) | mean set size | singletons | empty | worst-class coverage |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if r.alpha != alpha:
            continue
        lines.append(
            f"| {r.dataset} | {r.model} | {r.accuracy:.3f} | {r.method} | "
            f"{r.coverage:.3f} ± {r.coverage_std:.3f} | {r.set_size:.2f} | "
            f"{r.singletons:.2f} | {r.empty:.2f} | {r.worst_class:.3f} |"
        )
    return "\n".join(lines) + "\n"


def plot(rows: Sequence[Row], dataset: str, model: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sel = [r for r in rows if r.dataset == dataset and r.model == model]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8, 3.4))
    styles = {"naive": ("tab:red", "o"), "lac": ("tab:blue", "s"), "aps": ("tab:green", "^")}
    for method, (color, marker) in styles.items():
        pts = sorted((r.alpha, r.coverage, r.set_size) for r in sel if r.method == method)
        targets = [1 - a for a, _, _ in pts]
        ax1.plot(targets, [c for _, c, _ in pts], marker=marker, color=color, label=method)
        ax2.plot(targets, [s for _, _, s in pts], marker=marker, color=color, label=method)
    lo = min(1 - r.alpha for r in sel) - 0.05
    ax1.plot([lo, 1], [lo, 1], "k--", lw=1, label="target")
    ax1.set(
        xlabel="target coverage 1 - alpha",
        ylabel="test coverage",
        title=f"Coverage ({dataset}, {model})",
    )
    ax2.set(xlabel="target coverage 1 - alpha", ylabel="mean set size", title="Set size")
    ax1.legend(frameon=False)
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=100, help="random splits per setting")
    parser.add_argument("--alphas", type=float, nargs="+", default=[0.02, 0.05, 0.1, 0.15, 0.2])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=list(DATASETS))
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--out", type=Path, default=Path("results"))
    parser.add_argument("--figure", type=Path, default=Path("images/coverage.png"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = run(args.datasets, args.models, args.alphas, args.reps, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "results.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(asdict(rows[0])))
        writer.writeheader()
        writer.writerows(asdict(r) for r in rows)
    report = [f"# Results: {args.reps} random splits per setting, seed {args.seed}\n"]
    for alpha in args.alphas:
        report.append(f"\n## alpha = {alpha}\n\n{to_markdown(rows, alpha)}")
    (args.out / "results.md").write_text("".join(report))
    plot_model = "naive_bayes" if "naive_bayes" in args.models else args.models[0]
    plot(rows, args.datasets[0], plot_model, args.figure)
    print(to_markdown(rows, 0.1 if 0.1 in args.alphas else args.alphas[0]))
    print(f"{len(rows)} rows in {time.perf_counter() - start:.1f} s -> {args.out}/results.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
