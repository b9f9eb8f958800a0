"""Threadline: one thread follows each youth through every agency."""
