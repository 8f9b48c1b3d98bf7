"""The filter form of every list page, rendered fast.

``{{ form|crispy }}`` renders a select through a template per option: with ~250 states, ~900 processes
and the sessions of every meeting, the filter form was most of a list page's time. ``render_filter_form``
writes the same markup as crispy-forms' bootstrap5 templates in Python, with each select's options
built once per content version and language and kept in the cache (rcpdb/core/cache.py); which options are
selected is worked out on every request. Forms with errors (the 400 page) still go through crispy-forms.
tests/processes/views/test_filter_form.py compares the two renderings.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.core.cache import cache
from django.utils import translation
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from processes.filters import Select, html_attrs
from rcpdb.core.cache import content_version

# Widgets rendered here as crispy-forms' bootstrap5 templates would (selects with their options from the
# cache below); any other widget (date ranges, comma-separated lists...) is rendered by crispy-forms.
FAST_SELECTS = (forms.Select, forms.SelectMultiple, Select)
FAST_INPUTS = (forms.TextInput, forms.NumberInput)
OPTIONS_KEY = "rcpdb:filter-options"
OPTIONS_SECONDS = 60 * 60  # keyed on the content version: an edit makes them unreachable at once


def _filter_options(filterset):
    """The ``<option>`` tags of each select of ``filterset``'s form, rendered once per content version
    and language and kept in the cache (rcpdb/core/cache.py): ``{field name: [(value, start, label)]}``.

    A select of the ~250 states, the ~900 processes or the sessions of every meeting costs a query and
    a template include per option when Django renders it; its options change only with the content
    (any save bumps the version) or the language. Only the choices are kept: which options are
    selected is marked on every request. Values and labels are kept escaped.
    """
    filterset_class = type(filterset)
    key = (
        f"{OPTIONS_KEY}:{content_version()}:{translation.get_language()}:"
        f"{filterset_class.__module__}.{filterset_class.__qualname__}"
    )
    options = cache.get(key)
    if options is None:
        options = {}
        for bound_field in filterset.form:
            if type(bound_field.field.widget) not in FAST_SELECTS:
                continue
            choices = []
            for value, label in bound_field.field.choices:
                if isinstance(label, list | tuple):  # an optgroup: left to Django's template
                    choices = None
                    break
                start = format_html('<option value="{}"', str(value))
                choices.append((str(value), str(start), str(conditional_escape(label))))
            options[bound_field.name] = choices
        cache.set(key, options, OPTIONS_SECONDS)
    return options


def _widget_attrs(bound_field, widget, css_class):
    """The attributes ``BoundField.as_widget()`` gives the widget, with crispy-forms' CSS classes."""
    classes = widget.attrs.get("class", "").split()
    for name in (type(widget).__name__.lower(), css_class):
        if name not in classes:
            classes.append(name)
    attrs = bound_field.build_widget_attrs({}, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    return widget.build_attrs({**widget.attrs, "class": " ".join(classes)}, attrs)


def _select_html(bound_field, widget, options):
    if options is None:
        return None
    attrs = _widget_attrs(bound_field, widget, "form-select")
    if widget.allow_multiple_selected:
        attrs["multiple"] = True
    chosen = set(widget.format_value(bound_field.value()))
    parts, has_selected = [], False
    for value, start, label in options:
        selected = value in chosen and (widget.allow_multiple_selected or not has_selected)
        has_selected = has_selected or selected
        parts.append(f"\n  {start}{' selected' if selected else ''}>{label}</option>")
    return format_html(
        '<select name="{}"{}>{}\n</select>',
        bound_field.html_name,
        html_attrs(attrs),
        mark_safe("".join(parts)),  # noqa: S308 - each value and label escaped in _filter_options
    )


def _input_html(bound_field, widget):
    value = widget.format_value(bound_field.value())
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget.input_type,
        bound_field.html_name,
        format_html(' value="{}"', str(value)) if value is not None else "",
        html_attrs(_widget_attrs(bound_field, widget, "form-control")),
    )


def _crispy_field(bound_field, options):
    """A field as the bootstrap5 template of crispy-forms renders it, without a template per option.

    None for a field that crispy-forms should render itself.
    """
    widget = bound_field.field.widget
    if bound_field.is_hidden or bound_field.errors:
        return None
    if type(widget) in FAST_SELECTS:
        widget_html = _select_html(bound_field, widget, options.get(bound_field.name))
    elif type(widget) in FAST_INPUTS:
        widget_html = _input_html(bound_field, widget)
    else:
        return None
    if widget_html is None:
        return None
    label_html = ""
    if bound_field.label:
        label_html = format_html(
            '<label for="{}" class="form-label{}">{}{}</label>',
            bound_field.id_for_label,
            " requiredField" if bound_field.field.required else "",
            bound_field.label,
            format_html('<span class="asteriskField">*</span>') if bound_field.field.required else "",
        )
    help_html = ""
    if bound_field.help_text:
        help_html = format_html(
            ' <div id="{}_helptext" class="form-text">{}</div>',
            bound_field.auto_id,
            mark_safe(bound_field.help_text),  # noqa: S308 - as crispy-forms renders it (|safe): our own text
        )
    return format_html(
        '<div id="div_{}" class="mb-3"> {} {}{} </div>',
        bound_field.auto_id,
        label_html,
        widget_html,
        help_html,
    )


def render_filter_form(filterset):
    """The fields of a FilterSet's form as ``{{ form|crispy }}`` renders them, the selects much faster.

    None when the form has errors: the 400 page renders those with crispy-forms as before.
    """
    form = filterset.form
    if form.is_bound and form.errors:
        return None
    options = _filter_options(filterset)
    return format_html_join(
        " ",
        "{}",
        ((_crispy_field(field, options) or as_crispy_field(field),) for field in form),
    )


class FilterFormMixin:
    """Gives a list page's template ``filter_form_html`` (templates/includes/filter_form.html)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form_html"] = render_filter_form(self.filterset)
        return context
