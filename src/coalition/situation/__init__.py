"""The situation picture: dated control of territory with true areas, and disputed claims."""
