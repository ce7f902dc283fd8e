import django_filters
import django_filters.fields
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from compacts.forms import IdsOnly, ListedChoiceIterator
from compacts.models import Compact

from .models import CommitmentSector, RelatedTerms, Theme
from .search import keyword_search, parse


def compact_choices():
    """(slug, title) of every Compact, A to Z: plain values, since there may be hundreds."""
    return [(slug, title) for slug, title, _, _ in compact_names()]


def compact_names():
    """(slug, title, short name, area) of every Compact, A to Z, in one query: a list's choices, and what a
    search may name a Compact by."""
    return list(Compact.objects.order_by("short_name", "pk").values_list("slug", "title", "short_name", "area"))


class _ListedChoices(django_filters.fields.ModelChoiceIterator, ListedChoiceIterator):
    """django-filter's choices (with its "none" choice, where a filter has one), read as compacts.forms lists them."""


class _ListedField(IdsOnly, django_filters.fields.ModelMultipleChoiceField):
    iterator = _ListedChoices


class _ListedModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = _ListedField


class CommitmentFilter(django_filters.FilterSet):
    """Filters of the commitments explorer and its downloads. Every value is
    in the address, so any list of results can be shared."""

    q = django_filters.CharFilter(
        label="Keywords", method="filter_keywords", max_length=200, help_text="For example: consultation weeks"
    )
    exact = django_filters.BooleanFilter(
        label="Search for my exact words only",
        help_text="Without related terms (such as tendering for procurement).",
        method="keep",
        widget=forms.CheckboxInput,
    )
    compact = django_filters.MultipleChoiceFilter(
        label="Compact",
        field_name="compact__slug",
        choices=(),  # set on each form, once (a callable would be run on every look-up; a form copies its fields)
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    sector = django_filters.MultipleChoiceFilter(
        label="Whose commitment", choices=CommitmentSector.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    theme = _ListedModelMultipleChoiceFilter(
        label="Theme",
        field_name="theme__slug",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )

    search = None  # the parsed keywords (search.Query), once filtered
    compacts = ()  # (slug, title, short name, area) of every Compact, A to Z, once the form is made

    def filter_queryset(self, queryset):
        """The other filters first, then the keywords, so that what the search counts is what is shown."""
        keywords = self.form.cleaned_data.get("q", "")
        for name, value in self.form.cleaned_data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        return self.filter_keywords(queryset, "q", keywords or "")

    def filter_keywords(self, queryset, name, value):
        if not value.strip():
            return queryset
        exact = bool(self.form.cleaned_data.get("exact"))
        related = [] if exact else [terms.term_list() for terms in RelatedTerms.objects.all()]
        self.search = parse(value.strip(), related, exact=exact)
        return keyword_search(queryset, self.search)

    def keep(self, queryset, name, value):
        """`exact` changes how the keywords are read, not which rows are kept."""
        return queryset

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            self.compacts = compact_names()
            form.fields["compact"].choices = [(slug, title) for slug, title, _, _ in self.compacts]
            form.helper = FormHelper()
            form.helper.form_tag = False
            form.helper.legend_size = Size.SMALL
            form.helper.label_size = Size.SMALL
            form.helper.layout = Layout(
                "q",
                "exact",
                *(Field(name, template="includes/_checkboxes.html") for name in ("compact", "sector", "theme")),
            )
        return form
