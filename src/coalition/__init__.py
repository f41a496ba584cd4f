"""Coalition: a coordination platform for a coalition of the willing."""

__version__ = "0.1.0"
