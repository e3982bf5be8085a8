"""Accessibility checks for the browser tests: axe-core (npm, package.json; `make setup` installs it) in a page.

    from ocop.testing_axe import serious_violations

    page.goto(...)
    assert serious_violations(page) == []

Like ocop.testing, this module is for tests only and belongs to no layer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def serious_violations(page: Page, *, selector: str | None = None) -> list[str]:
    """The serious and critical axe-core violations on the page as it is now, as "id: help (n nodes)" strings.

    selector limits the check to one part of the page (e.g. "main"); by default the whole document is checked.
    """
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: run `make setup` (npm ci installs axe-core)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Injected as a script tag's content: the page's CSP allows 'self' scripts, and Playwright's
        # add_script_tag(path=...) inlines the file, which a strict CSP refuses. evaluate() runs outside the CSP.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results: dict[str, Any] = page.evaluate(
        """async (selector) => {
            const context = selector ? document.querySelector(selector) : document;
            const r = await axe.run(context, {resultTypes: ['violations']});
            return {violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                        nodes: v.nodes.map(n => n.target.join(' '))}))};
        }""",
        selector,
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {', '.join(v['nodes'][:3])})"
        for v in results["violations"]
        if v["impact"] in SERIOUS
    ]
