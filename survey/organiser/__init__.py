"""The organisers' result pages: questionnaires, dashboards, pre/post, sessions, free text."""

from survey.organiser import vendor
from survey.organiser.views import bp

# plotly.js lives outside /staff/q: added to the app when the blueprint is registered.
bp.record_once(lambda state: vendor.init_app(state.app))

__all__ = ["bp"]
