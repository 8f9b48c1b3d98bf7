"""Pages are sent compressed to browsers that accept gzip (GZipMiddleware, rcpdb/settings.py)."""

import gzip

from django.urls import reverse

from tests import factories as f

FINDINGS = reverse("workshops:finding-list")


def make_findings():
    workshop = f.WorkshopFactory(title="Bangkok meeting")
    for number in range(1, 31):
        f.FindingFactory(workshop=workshop, number=number, text=f"Finding {number} on labour migration. " * 8)


def test_a_list_page_is_compressed_for_a_browser_that_accepts_gzip(client, db):
    make_findings()

    plain = client.get(FINDINGS)
    compressed = client.get(FINDINGS, headers={"accept-encoding": "gzip, deflate, br"})

    assert compressed.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 4


def test_a_browser_without_gzip_gets_the_page_as_it_is(client, db):
    make_findings()

    response = client.get(FINDINGS, headers={"accept-encoding": "identity"})

    assert "Content-Encoding" not in response
    assert response.content.decode().startswith("<!DOCTYPE html>")


def test_a_download_is_compressed_too(client, db):
    make_findings()

    plain = client.get(FINDINGS, {"format": "csv"})
    compressed = client.get(FINDINGS, {"format": "csv"}, headers={"accept-encoding": "gzip"})

    assert compressed["Content-Encoding"] == "gzip"
    body = gzip.decompress(
        b"".join(compressed.streaming_content) if compressed.streaming else compressed.content
    )
    expected = b"".join(plain.streaming_content) if plain.streaming else plain.content
    assert body == expected
    assert body.count(b"Finding 30 on labour migration.") == 8  # the text of one row
