"""The security tests use the experts' and the organisers' fixtures."""

from tests.organiser.conftest import (  # noqa: F401
    admin,
    analyst,
    cheap_hasher,
    database,
    make_account,
)
from tests.respondent.conftest import expert, questionnaire_id  # noqa: F401
