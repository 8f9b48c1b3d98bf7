"""schema.org JSON-LD of the public profiles: a process and an organisation are ``Organization``s, a
state a ``Country``, a meeting an ``Event``; a process's member states are its ``member``s, and the
sources of what the page shows are its ``citation``s.

Built from what the page has already loaded (no query of its own), in the page's language.
"""

SCHEMA_ORG = "https://schema.org"


def _absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


def _citations(sources):
    seen, found = set(), []
    for source in sources:
        if source.pk in seen:
            continue
        seen.add(source.pk)
        work = {"@type": "CreativeWork", "name": source.title}
        if source.url:
            work["url"] = source.url
        if source.publisher:
            work["publisher"] = {"@type": "Organization", "name": source.publisher}
        if source.published:
            work["datePublished"] = source.published.isoformat()
        found.append(work)
    return found


def _country(request, state):
    return {
        "@type": "Country",
        "name": str(state.name),
        "identifier": str(state.code),
        "url": _absolute(request, state.get_absolute_url()),
    }


def _organization(request, organization):
    data = {
        "@type": "Organization",
        "name": organization.name,
        "url": _absolute(request, organization.get_absolute_url()),
    }
    if getattr(organization, "acronym", ""):
        data["alternateName"] = organization.acronym
    return data


def _clean(data):
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _one_or_list(values):
    """JSON-LD: one value as itself, several as a list (a joint secretariat's hosts), none as None."""
    return values[0] if len(values) == 1 else values or None


def process_data(request, process, sections):
    """A process and what its profile shows: its current member states (``member``), the hosts of its
    secretariat (``parentOrganization``) and the sources of every section (``citation``)."""
    members = [row for row in sections["members"].rows if row.until is None]
    sources = [source for section in sections.values() for source in section.sources]
    secretariat = sections["secretariat"].rows[0] if sections["secretariat"].rows else None
    return _clean(
        {
            "@context": SCHEMA_ORG,
            "@type": "Organization",
            "@id": _absolute(request, process.get_absolute_url()),
            "name": process.name,
            "alternateName": [
                name for name in (process.short_name, process.acronym) if name and name != process.name
            ],
            "url": _absolute(request, process.get_absolute_url()),
            "sameAs": process.website or None,
            "foundingDate": str(process.established_year) if process.established_year else None,
            "description": process.description or None,
            "areaServed": [region.name for region in getattr(process, "region_list", [])],
            "member": [_country(request, row.state) for row in members],
            "parentOrganization": _one_or_list(
                [_organization(request, host) for host in secretariat.host_list()] if secretariat else []
            ),
            "citation": _citations(sources),
        }
    )


def state_data(request, state, memberships):
    current = [m for m in memberships if m.until is None and m.role == "member"]
    return _clean(
        {
            "@context": SCHEMA_ORG,
            **_country(request, state),
            "@id": _absolute(request, state.get_absolute_url()),
            "containedInPlace": {"@type": "Place", "name": state.region.name} if state.region else None,
            "memberOf": [
                {
                    "@type": "Organization",
                    "name": m.process.name,
                    "url": _absolute(request, m.process.get_absolute_url()),
                }
                for m in current
            ],
            "citation": _citations(source for m in memberships for source in m.sources.all()),
        }
    )


def organization_data(request, organization):
    roles = list(organization.process_roles.all())
    return _clean(
        {
            "@context": SCHEMA_ORG,
            **_organization(request, organization),
            "@id": _absolute(request, organization.get_absolute_url()),
            "sameAs": organization.website or None,
            "description": organization.description or None,
            "memberOf": [
                {
                    "@type": "Organization",
                    "name": role.process.name,
                    "url": _absolute(request, role.process.get_absolute_url()),
                }
                for role in roles
                if role.role == "member"
            ],
            "citation": _citations(source for role in roles for source in role.sources.all()),
        }
    )


def meeting_data(request, workshop):
    location = None
    if workshop.city or workshop.country:
        location = _clean(
            {
                "@type": "Place",
                "name": workshop.city or None,
                "address": _clean(
                    {
                        "@type": "PostalAddress",
                        "addressLocality": workshop.city or None,
                        "addressCountry": str(workshop.country) or None,
                    }
                ),
            }
        )
    return _clean(
        {
            "@context": SCHEMA_ORG,
            "@type": "Event",
            "@id": _absolute(request, workshop.get_absolute_url()),
            "name": workshop.title,
            "url": _absolute(request, workshop.get_absolute_url()),
            "startDate": workshop.start_date.isoformat(),
            "endDate": workshop.end_date.isoformat() if workshop.end_date else None,
            "location": location,
            "organizer": [_organization(request, org) for org in workshop.organizers.all()],
            "attendee": [
                {"@type": "Organization", "name": p.name, "url": _absolute(request, p.get_absolute_url())}
                for p in workshop.processes.all()
            ],
            "description": workshop.summary or None,
            "citation": [{"@type": "CreativeWork", "url": workshop.report_url}]
            if workshop.report_url
            else None,
        }
    )
