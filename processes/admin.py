"""Staff admin of the registry."""
