"""Import runs: one record of every import of one file, with its counts and rejects."""
