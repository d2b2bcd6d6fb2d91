"""Results of questionnaires: filters, aggregation in SQL, small-cell suppression, chart data.

Shared by the organisers' dashboards and the aggregated exports, so that both show the same
numbers and hide the same ones.
"""
