"""Force generation: requirements, national offers with caveats, scenarios and plans."""
