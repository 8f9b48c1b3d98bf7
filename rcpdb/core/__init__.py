"""The shared core: helpers every app builds on (filtering, downloads, page cache, translation lookups,
admin history helpers, template tags, security wiring). It imports no app of rcpdb's."""
