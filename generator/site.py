"""Deprecated name of `generator.dataset`; kept until every importer has switched."""
from .dataset import Dataset, load_dataset  # noqa: F401
