package main

// An input type that takes one of the package's own components (StaticSite's route takes a
// `Function`) makes the 3.274 generator write `from .function import Function` at the top of
// `_inputs.py`, while `function.py` itself starts with `from ._inputs import *`. Whichever
// module is imported first, one copies the other half-initialised and the program fails at
// its first registration with `NameError: name 'FunctionScheduleArgs' is not defined` (the
// generator's bug; pulumi/pulumi#12980 is its output-side twin). GeneratePackage moves those
// imports to the end of `_inputs.py` and has the package import `_inputs` before any
// resource module, so `_inputs` is complete when a resource module copies it.

import (
	"path"
	"regexp"
	"strings"
)

var ownResourceImport = regexp.MustCompile(`(?m)^from \.(\w+) import (\w+)\n`)

const (
	inputsImport = "from ._inputs import *\n"
	enumsImport  = "from ._enums import *\n"
)

// breakInputsImportCycle rewrites each `_inputs.py` of files that imports one of the
// package's own resource modules, and the `__init__.py` beside it.
func breakInputsImportCycle(files map[string][]byte) {
	for name, data := range files {
		if path.Base(name) != "_inputs.py" {
			continue
		}
		text := string(data)
		var late strings.Builder
		for _, m := range ownResourceImport.FindAllStringSubmatch(text, -1) {
			if strings.HasPrefix(m[1], "_") {
				continue // _utilities, _enums: not resource modules
			}
			text = strings.Replace(text, m[0], "", 1)
			late.WriteString(m[0])
		}
		if late.Len() == 0 {
			continue
		}
		files[name] = []byte(text + "\n# Imported last: these modules import this one (pulumi-language-python).\n" +
			late.String())

		initName := path.Join(path.Dir(name), "__init__.py")
		init := string(files[initName])
		if strings.Contains(init, inputsImport) && strings.Contains(init, enumsImport) {
			init = strings.Replace(init, inputsImport, "", 1)
			init = strings.Replace(init, enumsImport, enumsImport+inputsImport, 1)
			files[initName] = []byte(init)
		}
	}
}
