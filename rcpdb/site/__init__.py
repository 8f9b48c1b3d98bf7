"""The site layer: what assembles the data apps into the public site (home, search, API and bulk data,
sitemaps, feeds, cross-app pages, the demo and synthetic data). Nothing below imports it."""
