"""The developer tool behind ./dev (standard library only; see commands.py)."""
