"""Sample-feed generator: plausible Tianjin elder feeds from four agencies, with known truth."""

from .defects import DefectRates
from .runner import GenerationSummary, generate

__all__ = ["DefectRates", "GenerationSummary", "generate"]
