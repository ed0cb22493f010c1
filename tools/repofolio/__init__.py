"""repofolio: keep a portfolio repository correct and publish it."""

__version__ = "0.1.0"
