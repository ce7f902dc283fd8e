import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from compacts.models import Compact

from .models import CommitmentSector, Theme
from .search import keyword_search


def compact_choices():
    """(slug, title) of every Compact, A to Z: plain values, since there may be hundreds."""
    return list(Compact.objects.order_by("short_name").values_list("slug", "title"))


class CommitmentFilter(django_filters.FilterSet):
    """Filters of the commitments explorer and its downloads. Every value is
    in the address, so any list of results can be shared."""

    q = django_filters.CharFilter(
        label="Keywords", method="filter_keywords", max_length=200, help_text="For example: consultation weeks"
    )
    compact = django_filters.MultipleChoiceFilter(
        label="Compact",
        field_name="compact__slug",
        choices=(),  # set per filter set, once (a callable would be run on every look-up)
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    sector = django_filters.MultipleChoiceFilter(
        label="Whose commitment", choices=CommitmentSector.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label="Theme",
        field_name="theme__slug",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["compact"].extra["choices"] = compact_choices()

    def filter_keywords(self, queryset, name, value):
        return keyword_search(queryset, value.strip()) if value.strip() else queryset

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            form.helper = FormHelper()
            form.helper.form_tag = False
            form.helper.legend_size = Size.SMALL
            form.helper.label_size = Size.SMALL
            form.helper.layout = Layout(
                "q",
                *(Field(name, template="includes/_checkboxes.html") for name in ("compact", "sector", "theme")),
            )
        return form
