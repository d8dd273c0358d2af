"""Forms on the dashboard pages (CSRF-protected by Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ChangeNoteForm(FlaskForm):
    you_said = TextAreaField(_l("You said"), validators=[
        DataRequired(_l("Write what people said")), Length(max=1000)])
    we_did = TextAreaField(_l("We did"), validators=[
        DataRequired(_l("Write what you changed")), Length(max=1000)])


class WaveForm(FlaskForm):
    name = StringField(_l("Name of the wave"), validators=[
        DataRequired(_l("Give the wave a name, like Before the change")), Length(max=80)])
    starts_on = DateField(_l("From (optional)"), validators=[Optional()])
    ends_on = DateField(_l("To (optional)"), validators=[Optional()])
    link = SelectField(_l("Only answers from this link (optional)"), choices=[],
                       validate_choice=True, validators=[Optional()])
