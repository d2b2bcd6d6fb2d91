"""The experts' side: a personal link leads to the questionnaire, page by page."""

from survey.respondent.views import bp

__all__ = ["bp"]
