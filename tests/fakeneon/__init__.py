"""A fake of Neon's HTTP API v2 for end-to-end tests (see server.py)."""

from .server import FakeNeon

__all__ = ["FakeNeon"]
