import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms

from compacts.models import Compact

from .models import CommitmentSector, Theme
from .search import keyword_search


class CommitmentFilter(django_filters.FilterSet):
    """Filters of the commitments explorer and its downloads. Every value is
    in the address, so any list of results can be shared."""

    q = django_filters.CharFilter(
        label="Keywords", method="filter_keywords", max_length=200, help_text="For example: consultation weeks"
    )
    compact = django_filters.ModelMultipleChoiceFilter(
        label="Compact",
        field_name="compact__slug",
        queryset=Compact.objects.order_by("short_name"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )
    sector = django_filters.MultipleChoiceFilter(
        label="Whose commitment", choices=CommitmentSector.choices, widget=forms.CheckboxSelectMultiple
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label="Theme",
        field_name="theme__slug",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )

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
        return form
