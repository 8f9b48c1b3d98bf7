"""Staff admin of meetings."""
