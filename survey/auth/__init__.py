"""Organisers' accounts and sign-in: the ``auth`` blueprint and the guards for staff pages.

Other blueprints protect a view with ``@login_required`` or ``@role_required(Role.ADMIN)``
and ask ``current_staff()`` (also ``g.staff``) who is signed in.
"""

from survey.auth import account_admin
from survey.auth.access import current_staff, login_required, role_required
from survey.auth.signin import bp

# The accounts pages live under /staff/accounts, as endpoints "auth.accounts.*".
bp.register_blueprint(account_admin.bp)

__all__ = ["bp", "current_staff", "login_required", "role_required"]
