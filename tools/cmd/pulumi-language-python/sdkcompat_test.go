package main

import "testing"

func TestBreakInputsImportCycleImportsOwnResourcesLast(t *testing.T) {
	files := map[string][]byte{
		"pulumi_x/_inputs.py": []byte("import pulumi\nfrom . import _utilities\nfrom .function import Function\n" +
			"\nclass RouteArgs:\n    pass\n"),
		"pulumi_x/__init__.py": []byte("from . import _utilities\nfrom ._enums import *\nfrom .function import *\n" +
			"from ._inputs import *\n"),
		"pulumi_y/_inputs.py": []byte("import pulumi\nfrom . import _utilities\n"),
	}
	breakInputsImportCycle(files)
	want := "import pulumi\nfrom . import _utilities\n\nclass RouteArgs:\n    pass\n" +
		"\n# Imported last: these modules import this one (pulumi-language-python).\nfrom .function import Function\n"
	if got := string(files["pulumi_x/_inputs.py"]); got != want {
		t.Errorf("_inputs.py:\n%s", got)
	}
	wantInit := "from . import _utilities\nfrom ._enums import *\nfrom ._inputs import *\nfrom .function import *\n"
	if got := string(files["pulumi_x/__init__.py"]); got != wantInit {
		t.Errorf("__init__.py:\n%s", got)
	}
	if got := string(files["pulumi_y/_inputs.py"]); got != "import pulumi\nfrom . import _utilities\n" {
		t.Errorf("an _inputs.py without own imports changed:\n%s", got)
	}
}
