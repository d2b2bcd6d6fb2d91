"""Pure functions from aggregated, suppressed chart data to Plotly figures.

No Flask, no SQLAlchemy, nothing of the app: data in (``dashboards.data``), figure out, so
that each chart is tested without a server. Every text that comes from a questionnaire or an
answer is escaped here, as Plotly renders some HTML in labels, hover text and legends.
"""

from dashboards.render import figure, figure_json, template_json

__all__ = ["figure", "figure_json", "template_json"]
