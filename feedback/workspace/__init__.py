"""The design team's workspace: sign-in, surveys, links, translations, the team and audit."""

from feedback.web.staff_access import can
from feedback.workspace import (  # noqa: F401 - register routes
    admin,
    editor,
    links,
    preview,
    single_sign_on,
    surveys,
    teams,
    translation_review,
    two_factor,
)
from feedback.workspace.routes import bp, login_manager
from surveys import uploads

# Staff pages' templates (the dashboards' too) ask `can("edit")`; respondent pages never do.
bp.add_app_template_global(can)

# Uploaded survey files are read in separate processes, forked from a server that has the
# readers (pyxform) imported once, rather than importing them for every upload.
uploads.preload()

__all__ = ["bp", "login_manager"]
