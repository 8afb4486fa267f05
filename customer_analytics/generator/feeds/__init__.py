"""Per-source writers: each turns the generated world into one system's raw export files."""
