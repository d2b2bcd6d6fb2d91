"""The data model. Every table is here, so Alembic sees the whole schema."""

from survey.models.answers import Answer, Response, ResponseStatus, Submission
from survey.models.people import Invitation, InvitationToken, Participant
from survey.models.questionnaire import Questionnaire, QuestionnaireVersion
from survey.models.staff import AuditEvent, Role, Staff, StaffSession, Throttle
from survey.models.tallies import AnswerTally, NumberTally

__all__ = [
    "Answer",
    "AnswerTally",
    "AuditEvent",
    "Invitation",
    "InvitationToken",
    "NumberTally",
    "Participant",
    "Questionnaire",
    "QuestionnaireVersion",
    "Response",
    "ResponseStatus",
    "Role",
    "Staff",
    "StaffSession",
    "Submission",
    "Throttle",
]
