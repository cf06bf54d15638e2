"""amante: a self-hosted, research-backed AI relationship coach."""

__version__ = "0.1.0"
