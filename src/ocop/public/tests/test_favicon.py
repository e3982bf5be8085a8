"""Our favicon (issue 16): /favicon.ico answers with our icon instead of a 404 (a console error on the /v/ pages), and
both the site's pages and the QR page name it, within the QR page's own Content-Security-Policy (img-src 'self')."""

import html
import re

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

ICO, SVG = static("ocop/favicon.ico"), static("ocop/favicon.svg")
LINKS = f'<link rel="icon" href="{ICO}" sizes="32x32"><link rel="icon" href="{SVG}" type="image/svg+xml">'


def test_favicon_ico_leads_to_our_icon(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, ICO)
    with open(finders.find("ocop/favicon.ico"), "rb") as icon:
        assert icon.read(6) == b"\x00\x00\x01\x00\x03\x00"  # an ICO with 3 sizes (16, 32, 48 px)
    with open(finders.find("ocop/favicon.svg"), encoding="utf-8") as svg:
        assert svg.read().startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">')


def test_the_pages_name_the_icon_within_their_policy(db, reference_data):
    assert LINKS in client_page(reverse("offline_check"))
    page = client_page(reverse("verify", args=["MPGU5XUWMM"]), status=404)
    assert LINKS in page
    (policy,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert (
        html.unescape(policy).split("; ")[2] == "img-src 'self'" and ICO.startswith("/") and SVG.startswith("/")
    )  # same origin


def client_page(url, status=200):
    response = Client().get(url)
    assert response.status_code == status
    return response.content.decode()
