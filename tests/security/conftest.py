"""The security tests use the experts' fixtures."""

from tests.respondent.conftest import expert, questionnaire_id  # noqa: F401
