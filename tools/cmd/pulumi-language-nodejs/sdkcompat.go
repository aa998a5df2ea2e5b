package main

// The SDK this host generates must compile against the @pulumi/pulumi our programs run on.
// The 3.274 generator gives every custom resource class a static `exists(id, opts)` calling
// `pulumi.runtime.existsResource`, which @pulumi/pulumi 3.248 (the newest npm serves for
// Node 20) lacks, so neither `make sdk` nor `pulumi package add` would give a working SDK.
// GeneratePackage removes exactly those methods, nothing else.

import (
	"regexp"
	"strings"
)

// existsMethod is one generated `exists` method with its doc comment and the blank line after it.
var existsMethod = regexp.MustCompile(
	`    /\*\*\n` +
		`     \* Check whether an existing \w+ resource with the given ID exists\.\n` +
		`(?:     \*.*\n)*?` +
		`     \*/\n` +
		`    public static exists\([^\n]*\n` +
		`(?:        [^\n]*\n)*?` +
		`    }\n\n`)

// removeExistsMethods drops the `exists` methods from every TypeScript file of files.
func removeExistsMethods(files map[string][]byte) {
	for name, data := range files {
		if strings.HasSuffix(name, ".ts") {
			files[name] = existsMethod.ReplaceAll(data, nil)
		}
	}
}
