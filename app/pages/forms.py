"""Advisor forms. Types are checked here; the application rules (ranges, categories) are the
validation service's (app/services/validation.py), so a page and the API accept the same inputs."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import TextInput

from app.errors import InvalidInputError
from app.i18n import translated
from app.services.comparison import INCOME_BANDS, VARIABLES, income_band_label
from app.services.decisions import MAX_COMMENT, REASONS, decision_errors
from app.services.formatting import amount
from app.services.validation import check_field
from training.domain import (
    ACCEPTED,
    AGE_BANDS,
    NOT_EMPLOYED_DAYS,
    REFUSED,
    days_from_years,
    employment_years,
    years_from_days,
)
from training.schema import TABLES

NUMBER = _l("Enter a number, for example 1250.5.")
YES_NO = [("", _l("Not known")), ("Y", _l("Yes")), ("N", _l("No"))]
LEVELS = {name: levels for name, (_, levels) in TABLES["application_test"].items() if levels}


def _choices(column: str, blank=None):
    """A select's options: the data's levels (sent as they are), shown in the page's language.

    A function, so WTForms builds the words for each request in its language."""
    blank = blank or _l("Not known")
    return lambda: [("", str(blank))] + [(level, translated(level)) for level in LEVELS[column]]


def _variable_choices():
    return [(key, str(label)) for key, (label, _) in VARIABLES.items()]


def _age_band_choices():
    return [("", str(_l("Any age")))] + [(k, translated(t)) for k, t, *_ in AGE_BANDS]


def _income_band_choices():
    return [("", str(_l("Any income")))] + [(k, income_band_label(k)) for k, *_ in INCOME_BANDS]


class NumberForm(FlaskForm):
    """Says 'Enter a number' instead of WTForms' 'Not a valid float value'."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for f in self:
            if isinstance(f, FloatField | IntegerField) and f.errors:
                f.errors[:] = [
                    str(NUMBER) if str(e).startswith("Not a valid") else e for e in f.errors
                ]
        return valid


class FindClientForm(NumberForm):
    """GET search: no state changes, so no CSRF token (and bookmarkable URLs)."""

    class Meta:
        csrf = False

    client_id = IntegerField(
        _l("Application id (SK_ID_CURR)"),
        validators=[
            InputRequired(_l("Enter an application id.")),
            NumberRange(min=1, message=_l("An application id is a positive whole number.")),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


class ComparisonForm(FlaskForm):
    """Which variable(s) and which population the client is compared with (GET)."""

    class Meta:
        csrf = False

    variable = SelectField(_l("Variable"), choices=_variable_choices)
    x = SelectField(_l("Horizontal axis"), choices=_variable_choices)
    y = SelectField(_l("Vertical axis"), choices=_variable_choices)
    age_band = SelectField(_l("Age band"), choices=_age_band_choices)
    income_band = SelectField(_l("Income band"), choices=_income_band_choices)
    contract_type = SelectField(
        _l("Contract type"), choices=_choices("NAME_CONTRACT_TYPE", _l("Any contract"))
    )
    education = SelectField(
        _l("Education"), choices=_choices("NAME_EDUCATION_TYPE", _l("Any education"))
    )


def _amount(label: str) -> FloatField:
    # A text box, not type=number: browsers' number inputs reject "1 250,5" silently and
    # change values on scroll; the server says clearly what is wrong instead.
    return FloatField(
        label, validators=[Optional()], widget=TextInput(), render_kw={"inputmode": "decimal"}
    )


class ApplicationForm(NumberForm):
    """The main application fields; anything not here is missing for the model."""

    NAME_CONTRACT_TYPE = SelectField(
        _l("Contract type"), choices=_choices("NAME_CONTRACT_TYPE"), default=""
    )
    AMT_CREDIT = _amount(_l("Credit amount"))
    AMT_ANNUITY = _amount(_l("Annuity (yearly repayment)"))
    AMT_GOODS_PRICE = _amount(_l("Price of the goods"))
    AMT_INCOME_TOTAL = _amount(_l("Annual income"))
    age_years = IntegerField(
        _l("Age in years"), validators=[Optional()], render_kw={"inputmode": "numeric"}
    )
    employment_years = _amount(_l("Years in current employment"))
    not_employed = BooleanField(_l("Not in employment (pensioner or unemployed)"))
    CNT_CHILDREN = IntegerField(_l("Number of children"), validators=[Optional()])
    NAME_INCOME_TYPE = SelectField(
        _l("Income type"), choices=_choices("NAME_INCOME_TYPE"), default=""
    )
    NAME_EDUCATION_TYPE = SelectField(
        _l("Education"), choices=_choices("NAME_EDUCATION_TYPE"), default=""
    )
    OCCUPATION_TYPE = SelectField(_l("Occupation"), choices=_choices("OCCUPATION_TYPE"), default="")
    NAME_HOUSING_TYPE = SelectField(
        _l("Housing"), choices=_choices("NAME_HOUSING_TYPE"), default=""
    )
    FLAG_OWN_CAR = SelectField(_l("Owns a car"), choices=YES_NO, default="")
    FLAG_OWN_REALTY = SelectField(_l("Owns real estate"), choices=YES_NO, default="")
    EXT_SOURCE_1 = _amount(_l("External score 1 (0 to 1)"))
    EXT_SOURCE_2 = _amount(_l("External score 2 (0 to 1)"))
    EXT_SOURCE_3 = _amount(_l("External score 3 (0 to 1)"))

    # Form field -> the application column its rule lives under.
    COLUMN_OF = {"age_years": "DAYS_BIRTH", "employment_years": "DAYS_EMPLOYED"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.application: dict = {}

    def fields_to_application(self) -> dict:
        """Raw Kaggle columns from the form (ages and durations back to DAYS_*)."""
        data = {name: f.data for name, f in self._fields.items() if name.isupper()}
        data = {k: (None if v == "" else v) for k, v in data.items()}
        if self.age_years.data is not None:
            data["DAYS_BIRTH"] = days_from_years(self.age_years.data)
        if self.not_employed.data:
            data["DAYS_EMPLOYED"] = NOT_EMPLOYED_DAYS
        elif self.employment_years.data is not None:
            data["DAYS_EMPLOYED"] = days_from_years(self.employment_years.data)
        return data

    def validate_application(self) -> bool:
        """WTForms type checks, then the application rules field by field (all errors at once)."""
        if not self.validate():
            return False
        application = self.fields_to_application()
        by_column = {self.COLUMN_OF.get(name, name): name for name in self._fields}
        ok = True
        for column, value in application.items():
            try:
                check_field(column, value)
            except InvalidInputError as error:
                field = getattr(self, by_column.get(column, column))
                field.errors.append(translated(error.form_text))
                ok = False
        self.application = {k: v for k, v in application.items() if v is not None}
        return ok

    @classmethod
    def data_from_application(cls, application: dict) -> dict:
        """Form values for a stored client (DAYS_* shown as years)."""
        data = {name: application.get(name) for name in APPLICATION_FIELDS}
        days_birth, days_employed = application.get("DAYS_BIRTH"), application.get("DAYS_EMPLOYED")
        if days_birth is not None:
            data["age_years"] = int(years_from_days(days_birth))
        if days_employed == NOT_EMPLOYED_DAYS:
            data["not_employed"] = True
        elif days_employed is not None:
            data["employment_years"] = round(employment_years(days_employed), 1)
        return {k: v for k, v in data.items() if v is not None}


class NewApplicationForm(ApplicationForm):
    save_as_client = BooleanField(_l("Save this application as a new client"))


APPLICATION_FIELDS = [n for n in ApplicationForm.__dict__ if n.isupper() and n != "COLUMN_OF"]
# Every application column the form sets (a blank field means "missing", not "unchanged").
ApplicationForm.COLUMNS = frozenset([*APPLICATION_FIELDS, *ApplicationForm.COLUMN_OF.values()])


def _reason_choices():
    blank = [("", str(_l("No reason: I follow the model")))]
    return blank + [(key, translated(reason.label)) for key, reason in REASONS.items()]


class DecisionForm(FlaskForm):
    """The advisor's final decision on one scoring; the rules are the decisions service's."""

    final_decision = RadioField(
        _l("Final decision"),
        choices=[(ACCEPTED, _l("Accept")), (REFUSED, _l("Refuse"))],
        validators=[InputRequired(_l("Choose the final decision."))],
    )
    reason = SelectField(_l("Reason for overriding the model"), choices=_reason_choices, default="")
    comment = TextAreaField(
        _l("Comment"),
        validators=[Optional()],
        render_kw={"rows": 3, "maxlength": MAX_COMMENT},
    )

    def __init__(self, prediction, *args, **kwargs):
        # Nothing is preselected, so following the model is a choice too (automation bias).
        # Prefixed ids: the form shares its page with other forms (new application, comparison).
        super().__init__(*args, prefix="decision", **kwargs)
        self.prediction = prediction
        # Whole labels, not "Refuse" + "(follow the model)": translators need whole phrases.
        if prediction.decision == REFUSED:
            refuse, accept = _("Refuse (follow the model)"), _("Accept (override the model)")
        else:
            refuse, accept = _("Refuse (override the model)"), _("Accept (follow the model)")
        self.final_decision.choices = [(REFUSED, refuse), (ACCEPTED, accept)]
        self.other_errors: list[str] = []

    def _form_message(self, error: InvalidInputError) -> str:
        """The service's rule as the form says it, in the page's language, numbers filled in."""
        reason = REASONS.get(self.reason.data)
        return _(
            error.form_text,
            reason=translated(reason.label) if reason else "",
            max=amount(MAX_COMMENT),
            length=amount(len(self.comment.data or "")),
        )

    def validate_decision(self) -> bool:
        """Type checks, then the decision rules, each error beside its field."""
        if not self.validate():
            return False
        errors = decision_errors(
            self.prediction, self.final_decision.data, self.reason.data, self.comment.data
        )
        for error in errors:
            field = getattr(self, error.field, None)
            if field is None:
                self.other_errors.append(self._form_message(error))
            else:
                field.errors.append(self._form_message(error))
        return not errors
