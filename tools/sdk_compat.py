#!/usr/bin/env python3
"""Make the generated SDKs work: the Node.js one with the @pulumi/pulumi Node 20 installs, the
Python one with input types that name our own components.

`pulumi package gen-sdk` (3.274) gives every custom resource class a static
`exists(id, opts)` that calls `pulumi.runtime.existsResource`, which
@pulumi/pulumi 3.248 (the newest npm serves for Node 20) does not have, so the
SDK would not compile. This removes exactly those methods, nothing else; the
Python SDK keeps its `exists` (the Python SDK it needs has `exists_resource`).

Python: an input type that takes one of our components (StaticSite's route takes a
`Function`) makes the generator write `from .function import Function` at the top of
`_inputs.py`, while `function.py` itself starts with `from ._inputs import *`. Whichever
module is imported first, one of them copies the other half-initialised, and the program
fails at its first registration with `NameError: name 'FunctionScheduleArgs' is not
defined` (the generator's bug: pulumi/pulumi#12980 is its output-side twin). This moves
those imports to the end of `_inputs.py`, and makes the package import `_inputs` before
any resource module, so `_inputs` is always complete when a resource module copies it and
the components are defined when a type hint naming them is resolved.
Go: the generator writes the SDK's go.mod only for a schema with `meta.supportPack`, which
also changes what it writes for Node.js and Python; so this writes it, for the module the
schema's `language.go.importBasePath` lies in (that path without its last element, as the
generator itself would), requiring github.com/pulumi/pulumi/sdk/v3 at PULUMI_VERSION and the
`go` version of tools/go.mod (versions.env and tools/go.mod stay the only places they are set).
A program uses the SDK from this repository with a `replace` directive.
`make sdk` runs it after generation and the staleness test applies it to a
fresh generation before comparing, so the committed SDK is still exactly what
the generator plus this step produce.

    python3 tools/sdk_compat.py sdk/nodejs sdk/python sdk/go
"""

from __future__ import annotations

import json
import posixpath
import re
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parent

EXISTS = re.compile(
    r"    /\*\*\n"
    r"     \* Check whether an existing \w+ resource with the given ID exists\.\n"
    r"(?:     \*.*\n)*?"
    r"     \*/\n"
    r"    public static exists\([^\n]*\n"
    r"(?:        [^\n]*\n)*?"
    r"    }\n\n"
)


OWN_RESOURCE_IMPORT = re.compile(r"^from \.(\w+) import (\w+)\n", re.M)
INPUTS_IMPORT = "from ._inputs import *\n"


def patch(root: Path) -> list[Path]:
    """Patch the SDK under ROOT (a Node.js, a Python or a Go one); the files changed."""
    if (root / "package.json").exists():
        return patch_nodejs(root)
    if any(root.glob("*/*.go")):
        return patch_go(root)
    return patch_python(root)


def patch_go(root: Path) -> list[Path]:
    """Write the Go SDK's go.mod (see the module docs)."""
    schema = json.loads((TOOLS.parent / "schema.json").read_text())
    module = posixpath.dirname(schema["language"]["go"]["importBasePath"])
    pins = dict(
        line.split("=", 1)
        for line in (TOOLS / "versions.env").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    go = re.search(r"^go (\S+)$", (TOOLS / "go.mod").read_text(), re.M)
    if go is None:
        raise SystemExit("sdk_compat: tools/go.mod has no go directive")
    gomod = root / "go.mod"
    gomod.write_text(
        f"module {module}\n\ngo {go.group(1)}\n\n"
        f"require github.com/pulumi/pulumi/sdk/v3 v{pins['PULUMI_VERSION']}\n"
    )
    return [gomod]


def patch_python(root: Path) -> list[Path]:
    """Break the `_inputs` <-> resource module import cycle (see the module docs)."""
    changed = []
    for inputs in sorted(root.rglob("_inputs.py")):
        text = inputs.read_text()
        own = [m for m in OWN_RESOURCE_IMPORT.finditer(text) if not m.group(1).startswith("_")]
        if not own:
            continue
        for m in own:
            text = text.replace(m.group(0), "", 1)
        late = "".join(m.group(0) for m in own)
        text += "\n# Imported last: these modules import this one (tools/sdk_compat.py).\n" + late
        inputs.write_text(text)
        changed.append(inputs)
        init = inputs.parent / "__init__.py"
        init_text = init.read_text()
        if INPUTS_IMPORT in init_text:
            init_text = init_text.replace(INPUTS_IMPORT, "", 1)
            init_text = init_text.replace("from ._enums import *\n", "from ._enums import *\n" + INPUTS_IMPORT, 1)
            init.write_text(init_text)
            changed.append(init)
    return changed


def patch_nodejs(root: Path) -> list[Path]:
    """Remove the `exists` methods from every .ts file under ROOT; the files changed."""
    changed = []
    for path in sorted(root.rglob("*.ts")):
        if "node_modules" in path.parts or "bin" in path.parts:
            continue
        text = path.read_text()
        new, n = EXISTS.subn("", text)
        if n:
            path.write_text(new)
            changed.append(path)
    return changed


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        for path in patch(Path(arg)):
            print(f"sdk_compat: patched {path}")
