"""Errors the adapter raises for the one error path to turn into replies."""

from __future__ import annotations


class UserFacingError(Exception):
    """Its message is shown to the user as it is, ephemerally."""
