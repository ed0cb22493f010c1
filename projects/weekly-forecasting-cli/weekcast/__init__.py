"""weekcast: forecast a weekly series and backtest the forecast honestly."""

__version__ = "2.0.0"
