"""Atom feeds of recent changes (django.contrib.syndication): the whole site, a process, a state or a
theme. Each entry says what changed and when, and links to the record's page and to its dated version
just before the change (``<link rel="related">``)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from processes import models as pm

from .changes import Scope, recent_changes

FEED_ENTRIES = 50


class ChangesAtomFeed(Atom1Feed):
    """Atom with a ``related`` link to the version before the change."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("before_url"):
            handler.addQuickElement(
                "link", "", {"rel": "related", "href": item["before_url"], "title": _("Before the change")}
            )


class ChangesFeed(Feed):
    feed_type = ChangesAtomFeed
    scope_kind = ""

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return None

    def scope(self, obj):
        return Scope()

    def title(self, obj):
        return _("Recent changes in rcpdb")

    def subtitle(self, obj):
        return _("What changed in the records of rcpdb, newest first.")

    def link(self, obj):
        return reverse("site:recent-changes")

    def items(self, obj):
        return recent_changes(self.scope(obj), limit=FEED_ENTRIES)

    def item_title(self, item):
        return item.summary

    def item_description(self, item):
        return item.summary + (f" — {item.reason}" if item.reason else "")

    def item_link(self, item):
        return item.page_url or f"{reverse('site:recent-changes')}#change-{item.history_id}"

    def item_guid(self, item):
        return (
            f"{self.request.build_absolute_uri('/')}changes/{item.model._meta.label_lower}/{item.history_id}"
        )

    def item_guid_is_permalink(self, item):
        return False

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.date

    def item_extra_kwargs(self, item):
        return {"before_url": self.request.build_absolute_uri(item.before_url) if item.before_url else None}


class ProcessChangesFeed(ChangesFeed):
    def get_object(self, request, slug):
        try:
            return pm.Process.objects.only("pk", "slug", "short_name").get(slug=slug)
        except pm.Process.DoesNotExist:
            raise Http404(_("There is no process with this address.")) from None

    def scope(self, obj):
        return Scope("process", obj.pk)

    def title(self, obj):
        return _("Changes to %(name)s") % {"name": obj.short_name}

    def link(self, obj):
        return f"{reverse('site:recent-changes')}?process={obj.slug}"


class StateChangesFeed(ChangesFeed):
    def get_object(self, request, code):
        state = pm.State.objects.filter(code=code.upper()[:2]).first() if code.isascii() else None
        if state is None:
            raise Http404(_("There is no state with this code."))
        return state

    def scope(self, obj):
        return Scope("state", obj.pk)

    def title(self, obj):
        return _("Changes to %(name)s") % {"name": obj.name}

    def link(self, obj):
        return f"{reverse('site:recent-changes')}?state={obj.code}"


class ThemeChangesFeed(ChangesFeed):
    def get_object(self, request, slug):
        try:
            return pm.Theme.objects.get(slug=slug)
        except pm.Theme.DoesNotExist:
            raise Http404(_("There is no theme with this address.")) from None

    def scope(self, obj):
        return Scope("theme", obj.pk)

    def title(self, obj):
        return _("Changes to %(name)s") % {"name": obj.name}

    def link(self, obj):
        return f"{reverse('site:recent-changes')}?theme={obj.slug}"
