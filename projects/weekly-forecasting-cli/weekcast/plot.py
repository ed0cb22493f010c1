"""The figure in the write-up: the last backtest fold, every model against the truth."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from weekcast.models import make


def plot_last_fold(
    series: pd.Series, model_names: Sequence[str], horizon: int, path: Path, context: int = 156
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    history, actual = series.iloc[:-horizon], series.iloc[-horizon:]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.plot(
        history.index[-context:],
        history.to_numpy()[-context:],
        color="0.4",
        lw=1.2,
        label="history",
    )
    ax.plot(actual.index, actual.to_numpy(), color="black", lw=2, label="actual")
    for name in model_names:
        forecast = make(name).fit(history.to_numpy()).predict(horizon)
        ax.plot(actual.index, forecast, lw=1.4, ls="--", label=name)
    ax.set(
        ylabel=str(series.name or "value"),
        title=f"Last backtest fold: {horizon}-week forecasts from {actual.index[0].date()}",
    )
    ax.legend(ncol=3, fontsize=8, frameon=False, loc="upper left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)
