"""English dates as the site writes them: 14 April 2005 (IOM style), not Django's default Apr. 14, 2005.

French and Spanish use Django's own formats (14 avril 2005, 14 de abril de 2005); templates write dates
with ``|date:"DATE_FORMAT"`` so that each language gets its own.
"""

DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
