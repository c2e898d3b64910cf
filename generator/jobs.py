"""Moved to the package `generator.jobboard`; this name stays until every caller imports that."""
from .jobboard import *  # noqa: F401,F403
from .jobboard import __all__  # noqa: F401
