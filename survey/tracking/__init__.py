"""Response tracking for organisers: the ``tracking`` blueprint under /staff/track.

Counts for every signed-in organiser; people, reminders, links, the participant list and
opening and closing for administrators only.
"""

from survey.tracking import participants
from survey.tracking.views import bp

# The participant list lives under /staff/track/participants, as "tracking.participants.*".
bp.register_blueprint(participants.bp)

__all__ = ["bp"]
