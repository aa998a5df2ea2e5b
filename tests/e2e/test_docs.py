"""docs/ is what `make docs` generates, and the troubleshooting page holds every
message the provider's code can print about bad input."""

from __future__ import annotations

import json
import re
import sys

import harness

ROOT = harness.ROOT
sys.path.insert(0, str(ROOT / "tools" / "docs"))

import gen  # noqa: E402
import messages  # noqa: E402

# Reading the Rust code takes a second or two: once for every test here.
PAGES = gen.generate(ROOT)
FOUND = messages.Extractor(ROOT).validation_errors()


def test_committed_docs_are_what_make_docs_generates(tmp_path):
    gen.write(PAGES, tmp_path)
    fresh = {p.name: p.read_text() for p in tmp_path.glob("*.md")}
    committed = {p.name: p.read_text() for p in (ROOT / "docs").glob("*.md") if gen.is_generated(p)}
    assert sorted(committed) == sorted(fresh), "docs/ is stale: run `make docs`"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert stale == [], f"docs/ is stale ({stale}): run `make docs`"


def test_every_resource_has_a_page_with_both_examples():
    for token in json.loads((ROOT / "schema.json").read_text())["resources"]:
        page = PAGES[gen.page_name(token)]
        assert "```ts\n" in page and "```python\n" in page, token
        assert "## Inputs" in page and "## Outputs" in page, token


def test_every_input_error_in_the_code_is_on_the_troubleshooting_page():
    extractor, found = messages.Extractor(ROOT), FOUND
    assert [u for m in found for u in m.unresolved] == []
    # Each `InputError::new(` outside tests yields at least one message (a site that
    # passes on a message made elsewhere is covered where that message is made).
    sites = {
        f"{s.rel}:{s.tokens[i].line}"
        for s in extractor.sources
        for i in range(len(s.tokens) - 3)
        if s.is_(i, "InputError", "::", "new", "(") and s.text(*s.args(i + 3)[1]) not in messages.WRAPPED
    }
    assert sites, "no InputError::new found: has the code moved?"
    assert sites - {x for m in found for x in [m.source, *m.also]} == set()
    page = (ROOT / "docs" / "troubleshooting.md").read_text()
    for m in found:
        assert gen.code(m.text) in page, m.text


def test_known_messages_are_listed_and_match_what_the_provider_prints():
    page = (ROOT / "docs" / "troubleshooting.md").read_text()
    for fragment in ("is more than 8 CU above minCu", "must be known when the program runs",
                     "is not a Fargate size", "is not a valid image reference", "no Neon API key",
                     "cannot upload ‹key›"):
        assert fragment in page, fragment
    # Messages the provider really prints (from its tests) each match a listed template.
    templates = [template_regex(m.text) for m in FOUND]
    for printed in (
        "maxCu=10 is more than 8 CU above minCu=0.25: autoscaling spans at most 8 CU; "
        "set maxCu=8.25 or less, or minCu=2 or more",
        'priceClass="Cheap" is not valid; valid: PriceClass_100, PriceClass_200, PriceClass_All',
        "missing required property `domain.zoneId`",
        "`tags` must be known when the program runs; it is computed from another resource's output",
        'errorDocument="404.html" cannot be used with spa=true: a single-page app serves `indexDocument` '
        "for every unknown path; set spa=false to serve an error page",
    ):
        assert any(t.fullmatch(printed) for t in templates), printed


def template_regex(text: str) -> re.Pattern:
    """A listed template as a pattern: each `‹…›` stands for any text."""
    return re.compile("".join(".*?" if part.startswith("‹") else re.escape(part)
                              for part in re.split(r"(‹[^›]*›)", text)))


def test_component_pages_link_each_input_to_its_messages():
    page = (ROOT / "docs" / "neon-database.md").read_text()
    assert "(troubleshooting.md#neondatabase-maxcu)" in page
    trouble = (ROOT / "docs" / "troubleshooting.md").read_text()
    assert "### NeonDatabase: `maxCu`" in trouble
