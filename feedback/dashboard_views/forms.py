"""Forms on the dashboard pages (CSRF-protected by Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class ChangeNoteForm(FlaskForm):
    you_said = TextAreaField(
        _l("You said"), validators=[DataRequired(_l("Write what people said")), Length(max=1000)]
    )
    we_did = TextAreaField(
        _l("We did"), validators=[DataRequired(_l("Write what you changed")), Length(max=1000)]
    )


class WaveForm(FlaskForm):
    name = StringField(
        _l("Name of the wave"),
        validators=[
            DataRequired(_l("Give the wave a name, like Before the change")),
            Length(max=80),
        ],
    )
    # Waves are runs of whole release periods, so they can never be subtracted from each
    # other to isolate a few weeks: the choices are the periods, not free dates.
    first = SelectField(
        _l("From the period"),
        choices=[],
        validate_choice=True,
        validators=[DataRequired(_l("Choose the first period"))],
    )
    last = SelectField(
        _l("To the period"),
        choices=[],
        validate_choice=True,
        validators=[DataRequired(_l("Choose the last period"))],
    )
