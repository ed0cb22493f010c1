"""Shift augmentation for flattened 8x8 images."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

SIDE = 8
SHIFTS = ((1, 0), (-1, 0), (0, 1), (0, -1))  # (dx, dy): right, left, down, up


def shift(images: NDArray[Any], dx: int, dy: int) -> NDArray[Any]:
    """Move every image dx pixels right and dy pixels down; pixels that enter are 0."""
    n = images.shape[0]
    grid = images.reshape(n, SIDE, SIDE)
    out = np.zeros_like(grid)
    src_y = slice(max(0, -dy), SIDE - max(0, dy))
    dst_y = slice(max(0, dy), SIDE - max(0, -dy))
    src_x = slice(max(0, -dx), SIDE - max(0, dx))
    dst_x = slice(max(0, dx), SIDE - max(0, -dx))
    out[:, dst_y, dst_x] = grid[:, src_y, src_x]
    return out.reshape(n, SIDE * SIDE)


def augment(X: NDArray[Any], y: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any]]:
    """The originals plus one-pixel shifts in four directions: five times the data."""
    xs = [X] + [shift(X, dx, dy) for dx, dy in SHIFTS]
    return np.concatenate(xs), np.tile(y, len(xs))
