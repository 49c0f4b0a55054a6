"""akhbar: a self-hosted, multilingual news-aggregation portal."""

__version__ = "0.1.0"
