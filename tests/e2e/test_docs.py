"""docs/ is what `make docs` generates, and the troubleshooting page holds every
catalogue entry the plugin prints (`pulumi-resource-launchpad --messages`)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import harness
import yaml

ROOT = harness.ROOT
sys.path.insert(0, str(ROOT / "tools" / "docs"))

import gen  # noqa: E402

# The built plugin's catalogues (`make build` comes before the e2e tests).
ENTRIES = gen.catalogue(ROOT)
PAGES = gen.generate(ROOT)
CONVERTED = {e["area"] for e in ENTRIES}


def test_committed_docs_are_what_make_docs_generates(tmp_path):
    gen.write(PAGES, tmp_path)
    fresh = {p.name: p.read_text() for p in tmp_path.glob("*.md")}
    committed = {p.name: p.read_text() for p in (ROOT / "docs").glob("*.md") if gen.is_generated(p)}
    assert sorted(committed) == sorted(fresh), "docs/ is stale: run `make docs`"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert stale == [], f"docs/ is stale ({stale}): run `make docs`"


def fenced(text: str, fence: str) -> list[str]:
    """The code blocks of one language in a page."""
    return re.findall(rf"^```{fence}\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)


RESOURCES = json.loads((ROOT / "schema.json").read_text())["resources"]


def create_blocks(token: str) -> dict[str, list[str]]:
    """The code blocks of a resource page's "Create a …" section, by fence."""
    create = PAGES[gen.page_name(token)].split(f"## Create a {gen.short(token)}\n", 1)[1].split("\n## ", 1)[0]
    return {fence: fenced(create, fence) for fence in ("ts", "python", "go", "yaml")}


def test_every_resource_page_creates_it_in_every_language():
    for token, res in RESOURCES.items():
        page = PAGES[gen.page_name(token)]
        assert "## Inputs" in page and "## Outputs" in page, token
        blocks = create_blocks(token)
        assert all(len(b) == 1 for b in blocks.values()), (token, {f: len(b) for f, b in blocks.items()})
        # The YAML is a program's resources section naming every input; the Python compiles.
        program = yaml.safe_load(blocks["yaml"][0])
        (resource,) = program["resources"].values()
        assert resource["type"] == token
        assert list(resource["properties"]) == list(res["inputProperties"]), token
        compile(blocks["python"][0], f"{token} (Python)", "exec")
        for key in res["inputProperties"]:
            assert f"{key}: " in blocks["ts"][0] and f"{gen.snake(key)}=" in blocks["python"][0], (token, key)
            assert f"\t{key[:1].upper() + key[1:]}: " in blocks["go"][0], (token, key)


def other_resources(token: str, code: str) -> list[str]:
    """The resources a snippet takes as variables (`functionResource` → Function)."""
    own = gen.short(token)
    names = {m[:1].upper() + m[1:] for m in re.findall(r"\b([a-z]\w*)Resource\b", code)}
    return sorted(names - {own})


def test_the_go_snippets_compile(tmp_path):
    """Each page's Go block, as the body of a function, passes `go vet` against sdk/go
    (the static-site-go example's modules, its build cache warm)."""
    example = ROOT / "examples" / "static-site-go"
    gomod = (example / "go.mod").read_text().replace("module static-site-go", "module snippets", 1)
    (tmp_path / "go.mod").write_text(gomod.replace("=> ../../sdk/go", f"=> {ROOT / 'sdk' / 'go'}"))
    shutil.copy(example / "go.sum", tmp_path / "go.sum")
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    for token in RESOURCES:
        name, (code,) = gen.short(token), create_blocks(token)["go"]
        params = "".join(f", {gen.lower_camel(r)}Resource *launchpad.{r}" for r in other_resources(token, code))
        body = "\n".join("\t" + line for line in code.splitlines())
        (tmp_path / f"{name}.go").write_text(
            'package main\n\nimport (\n\t"github.com/launchpad-dev/launchpad/sdk/go/launchpad"\n'
            '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"\n)\n\n'
            f"func create{name}(ctx *pulumi.Context{params}) error {{\n{body}\n"
            f"\t_ = {gen.lower_camel(name)}Resource\n\treturn err\n}}\n")
    proc = subprocess.run(["go", "vet", "."], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, proc.stdout


def test_the_typescript_snippets_compile(tmp_path):
    """Each page's TypeScript block, as a module, passes `tsc --noEmit` against the
    SDK (the static-site-ts example's node_modules, as test_generated.py does)."""
    node_modules = ROOT / "examples" / "static-site-ts" / "node_modules"
    (tmp_path / "node_modules").symlink_to(node_modules)
    (tmp_path / "tsconfig.json").write_text(json.dumps({"compilerOptions": {
        "strict": True, "target": "es2020", "module": "commonjs", "moduleResolution": "node", "noEmit": True,
    }, "include": ["*.ts"]}))
    for token in RESOURCES:
        name, (code,) = gen.short(token), create_blocks(token)["ts"]
        declared = "".join(f"declare const {gen.lower_camel(r)}Resource: launchpad.{r};\n"
                           for r in other_resources(token, code))
        (tmp_path / f"{name}.ts").write_text(
            f'import * as launchpad from "pulumi-launchpad";\n{declared}\n{code}\n'
            f"export {{ {gen.lower_camel(name)}Resource }};\n")
    proc = subprocess.run([str(node_modules / ".bin" / "tsc"), "--noEmit", "-p", str(tmp_path)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, proc.stdout


def test_the_registry_pages_open_with_their_front_matter_and_show_every_language():
    for name in ("_index.md", "installation-configuration.md"):
        page = PAGES[name]
        front = yaml.safe_load(page.split("---\n")[1])
        assert front["layout"] == "package" and front["title"] and front["meta_desc"], name
        assert gen.is_generated(ROOT / "docs" / name), name
        for fence in ("ts", "python", "go", "yaml"):
            assert fenced(page, fence), (name, fence)
        compile(fenced(page, "python")[0], name, "exec")
        # Every YAML block parses (Pulumi.yaml files, the ESC environment), and one is a YAML program.
        documents = [yaml.safe_load(block) for block in fenced(page, "yaml")]
        assert any(d.get("runtime") == "yaml" and d.get("resources") for d in documents), name
    index = PAGES["_index.md"]
    for token in json.loads((ROOT / "schema.json").read_text())["resources"]:
        assert f"]({gen.page_name(token)})" in index, token


def uncatalogued_sites() -> list[str]:
    """`InputError::new(` outside tests: messages not in a catalogue yet. A text
    search, not a parse: a file's tests start at its `#[cfg(test)]`."""
    sites = []
    for path in sorted((ROOT / "provider").rglob("*.rs")):
        rel = path.relative_to(ROOT).as_posix()
        # Tests and test support (protocol's `testing` drivers read failures back as InputErrors).
        if ("/tests/" in rel or "/testing/" in rel or path.name.endswith("tests.rs")
                or path.name in ("test_support.rs", "testing.rs")):
            continue
        for n, line in enumerate(path.read_text().split("#[cfg(test)]")[0].splitlines(), 1):
            if "InputError::new(" in line and not line.lstrip().startswith("//"):
                sites.append(f"{rel}:{n}")
    return sites


def test_every_catalogue_entry_is_on_the_troubleshooting_page():
    page = (ROOT / "docs" / "troubleshooting.md").read_text()
    # Every area of the docs has a catalogue, and every catalogue an area.
    assert CONVERTED == set(gen.AREAS), (CONVERTED, set(gen.AREAS))
    for e in ENTRIES:
        assert f'<a id="{e["code"].lower()}"></a>' in page, e["code"]
        assert gen.code(e["template"]) in page, e["code"]
    # Every message a user can meet comes from a catalogue: none is built in place.
    assert uncatalogued_sites() == [], "messages outside a catalogue: write them as entries"


# Messages the provider really prints (from its tests), by the catalogue area that
# holds them; an area without a catalogue yet is checked once it has one.
KNOWN_FRAGMENTS = {
    "Neon": ["is more than 8 CU above minCu", "no Neon API key"],
    "core": ["must be known when the program runs"],
    "WebService": ["is not a Fargate size", "is not a valid image reference"],
    "SiteContent": ["cannot upload"],
}
PRINTED = {
    "Neon": ["maxCu=10 is more than 8 CU above minCu=0.25: autoscaling spans at most 8 CU; "
             "set maxCu=8.25 or less, or minCu=2 or more"],
    "core": ['priceClass="Cheap" is not valid; valid: PriceClass_100, PriceClass_200, PriceClass_All',
             "missing required property `domain.zoneId`",
             "`tags` must be known when the program runs; it is computed from another resource's output"],
    "SiteContent": ['path "./site" has no files: build the site first (for example `npm run build`)'],
    "StaticSite": ['errorDocument="404.html" cannot be used with spa=true: a single-page app serves '
                   "`indexDocument` for every unknown path; set spa=false to serve an error page"],
    "WebService": ["memory=8192 is not valid with cpu=512; valid: 1024 to 4096 MiB in steps of 1024 "
                   "(nearest: 4096); for 8192 MiB use cpu=1024, 2048 or 4096"],
    "CloudRunService": ['concurrency=80 needs cpu of at least 1 (cpu="0.5" serves one request at a time); '
                        'set concurrency=1 or cpu="1"'],
    "components": ['region="us-centrl1" is not a Cloud Run region (did you mean "us-central1"?); '
                   "`gcloud run regions list` shows the regions Cloud Run offers"],
}


def test_known_messages_are_listed_and_match_what_the_provider_prints():
    page = (ROOT / "docs" / "troubleshooting.md").read_text()
    for area, fragments in KNOWN_FRAGMENTS.items():
        for fragment in fragments if area in CONVERTED else []:
            assert fragment in page, fragment
    templates = [template_regex(e["template"]) for e in ENTRIES]
    for area, printed in PRINTED.items():
        for message in printed if area in CONVERTED else []:
            assert any(t.fullmatch(message) for t in templates), message


def template_regex(text: str) -> re.Pattern:
    """A catalogue template as a pattern: each `{…}` stands for any text."""
    return re.compile("".join(".*?" if part.startswith("{") else re.escape(part)
                              for part in re.split(r"(\{[^{}]*\})", text)))


def test_component_pages_link_each_input_to_its_messages():
    page = (ROOT / "docs" / "static-site.md").read_text()
    assert "[LP2002 error-document-with-spa](troubleshooting.md#lp2002)" in page
    trouble = (ROOT / "docs" / "troubleshooting.md").read_text()
    assert '<a id="lp2002"></a>\n\n### LP2002 error-document-with-spa' in trouble


def test_a_component_built_by_a_yaml_example_shows_it_on_its_page():
    programs = gen.yaml_programs(ROOT)
    assert {p.parent.name for p in programs} >= {"static-site-yaml", "web-service-yaml"}
    for program in programs:
        for name in re.findall(gen.BUILDS["yaml"], program.read_text(), re.MULTILINE):
            page = PAGES[gen.page_name(f"launchpad:index:{name}")]
            assert f"```yaml\n{program.read_text().rstrip()}\n```" in page, (name, program)
