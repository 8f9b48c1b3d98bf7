"""Run in a fresh interpreter with ``tests.processes_alone.settings``: builds a process through the
models and reads it back through ``processes``' selectors, dated version, serializers and filters,
then prints what it read as JSON (``tests/processes/test_runs_alone.py`` checks it)."""

import datetime
import json

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

call_command("migrate", verbosity=0)
call_command("check", fail_level="ERROR")

from processes import as_of, enums, selectors, serializers  # noqa: E402
from processes.filters import ProcessFilter  # noqa: E402
from processes.models import Membership, Process, Region, State, Theme  # noqa: E402

region = Region.objects.get(slug="europe")  # the regions ship with the migrations
state = State.objects.get_or_create(code="TR", defaults={"name": "Türkiye"})[0]
process = Process.objects.create(slug="budapest", short_name="Budapest Process", name="Budapest Process")
process.regions.add(region)
Membership.objects.create(process=process, state=state, role=enums.MembershipRole.MEMBER, since=1993)
Process.objects.create(slug="colombo", short_name="Colombo Process", name="Colombo Process")
Theme.objects.create(slug="asylum", name="Asylum").processes.add(process)

profile = selectors.process_profile_queryset().get(slug="budapest")
sections = selectors.profile_sections(profile)["sections"]
detail = serializers.ProcessDetailSerializer(profile).data
dated = as_of.process_as_of("budapest", datetime.date.today())
filtered = ProcessFilter({"region": "europe"}, queryset=selectors.process_list_queryset()).qs
print(
    json.dumps(
        {
            "apps": sorted(
                config.label
                for config in apps.get_app_configs()
                if config.label in ("processes", "workshops", "site", "core")
            ),
            "vendor": connection.vendor,
            "members": [str(m.state.code) for m in sections["members"].rows],
            "api_members": [m["state"] for m in detail["members"]],
            "api_has_meetings": "meetings" in detail,
            "dated_members": [str(m.state.code) for m in dated.context["sections"]["members"].rows],
            "filtered": [p.slug for p in filtered],
            "themes": [(t.slug, t.process_count) for t in selectors.theme_list_queryset()],
        }
    )
)
