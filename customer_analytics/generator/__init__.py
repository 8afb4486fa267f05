"""Synthetic raw exports of a Chinese omni-channel retailer, with known ground truth.

Persons follow a heterogeneous buy-till-you-die process (BG/NBD with Gamma-Gamma spend)
warped onto a seasonal calendar; their purchases become orders in five sales channels,
which each feed writes in its own format with documented dirt. See docs/data.md.
"""

from .config import ModelParams, RunConfig
from .pipeline import generate
from .writers import OutputFolderError

__all__ = ["ModelParams", "OutputFolderError", "RunConfig", "generate"]
