"""Commands of this area are registered here (work in progress)."""
