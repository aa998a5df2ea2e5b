package main

// Upstream's Go generator writes the SDK's go.mod only for a schema with `meta.supportPack`,
// which also changes what it writes for Node.js and Python. Without it the generated SDK has
// no module and a program cannot `replace` it with a local folder. So GeneratePackage writes
// the go.mod upstream's generator would write with supportPack (codegen/go gen.go, "create a
// go.mod file"): the module one directory above the import base path, `go 1.25`, and
// github.com/pulumi/pulumi/sdk/v3 required at the version this host is built with (the CLI's,
// tools/versions.env) instead of the generator's own fixed one.

import (
	"errors"
	"path"
	"runtime/debug"

	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"golang.org/x/mod/modfile"
)

const pulumiSDKModule = "github.com/pulumi/pulumi/sdk/v3"

// addGoMod adds go.mod to files unless the generator wrote one.
func addGoMod(pkg *schema.Package, files map[string][]byte) error {
	if _, ok := files["go.mod"]; ok {
		return nil
	}
	if err := pkg.ImportLanguages(map[string]schema.Language{"go": codegen.Importer}); err != nil {
		return err
	}
	info, _ := pkg.Language["go"].(codegen.GoPackageInfo)
	module := info.ModulePath
	if module == "" && info.ImportBasePath != "" {
		module = path.Dir(info.ImportBasePath)
	}
	if module == "" {
		return errors.New("the schema sets neither language.go.modulePath nor importBasePath: no module to write go.mod for")
	}
	version, err := pulumiSDKVersion()
	if err != nil {
		return err
	}
	var mod modfile.File
	if err := mod.AddModuleStmt(module); err != nil {
		return err
	}
	if err := mod.AddGoStmt("1.25"); err != nil {
		return err
	}
	if err := mod.AddRequire(pulumiSDKModule, version); err != nil {
		return err
	}
	formatted, err := mod.Format()
	if err != nil {
		return err
	}
	files["go.mod"] = formatted
	return nil
}

// pulumiSDKVersion is the github.com/pulumi/pulumi/sdk/v3 version this binary was built with.
func pulumiSDKVersion() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", errors.New("no build information in this binary")
	}
	for _, dep := range info.Deps {
		if dep.Path == pulumiSDKModule {
			return dep.Version, nil
		}
	}
	return "", errors.New("this binary was not built with " + pulumiSDKModule)
}
