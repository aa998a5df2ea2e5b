#!/usr/bin/env python3
"""Make the generated Node.js SDK compile against the @pulumi/pulumi that Node 20 installs.

`pulumi package gen-sdk` (3.274) gives every custom resource class a static
`exists(id, opts)` that calls `pulumi.runtime.existsResource`, which
@pulumi/pulumi 3.248 (the newest npm serves for Node 20) does not have, so the
SDK would not compile. This removes exactly those methods, nothing else; the
Python SDK keeps its `exists` (the Python SDK it needs has `exists_resource`).
`make sdk` runs it after generation and the staleness test applies it to a
fresh generation before comparing, so the committed SDK is still exactly what
the generator plus this step produce.

    python3 tools/sdk_compat.py sdk/nodejs
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

EXISTS = re.compile(
    r"    /\*\*\n"
    r"     \* Check whether an existing \w+ resource with the given ID exists\.\n"
    r"(?:     \*.*\n)*?"
    r"     \*/\n"
    r"    public static exists\([^\n]*\n"
    r"(?:        [^\n]*\n)*?"
    r"    }\n\n"
)


def patch(root: Path) -> list[Path]:
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
            print(f"sdk_compat: removed `exists` from {path}")
