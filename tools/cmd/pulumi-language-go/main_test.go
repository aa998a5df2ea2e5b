package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func TestRunEnvCarriesTheRunAndLeavesOutEmptyValues(t *testing.T) {
	req := &pulumirpc.RunRequest{
		MonitorAddress: "127.0.0.1:1111", Project: "proj", Stack: "dev", DryRun: true, Parallel: 8,
		Config: map[string]string{"proj:greeting": "hi"}, ConfigSecretKeys: []string{"proj:token"},
		Info: &pulumirpc.ProgramInfo{RootDirectory: "/work/prog"},
	}
	env, err := runEnv([]string{"PATH=/bin"}, req, "127.0.0.1:2222")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"PATH=/bin", "PULUMI_PROJECT=proj", "PULUMI_ROOT_DIRECTORY=/work/prog", "PULUMI_STACK=dev",
		`PULUMI_CONFIG={"proj:greeting":"hi"}`, `PULUMI_CONFIG_SECRET_KEYS=["proj:token"]`,
		"PULUMI_DRY_RUN=true", "PULUMI_PARALLEL=8", "PULUMI_MONITOR=127.0.0.1:1111", "PULUMI_ENGINE=127.0.0.1:2222",
	}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("runEnv =\n%q\nwant\n%q", env, want)
	}
}

func TestOptionsRefuseABinaryAndABuildTargetTogether(t *testing.T) {
	if _, err := parseOptions(map[string]any{"binary": "prog", "buildTarget": "out"}); err == nil {
		t.Error("binary with buildTarget was accepted")
	}
	if _, err := parseOptions(map[string]any{"binary": 3}); err == nil {
		t.Error("a binary that is not a string was accepted")
	}
	o, err := parseOptions(map[string]any{"buildTarget": "out/prog"})
	if err != nil || o.buildTarget != "out/prog" {
		t.Errorf("parseOptions = %+v, %v", o, err)
	}
}

func TestNormalizeVersionNamesTheReleaseBeforeAPseudoVersion(t *testing.T) {
	for in, want := range map[string]string{
		"v6.1.0":                                "v6.1.0",
		"0.1.0":                                 "0.1.0",
		"v1.29.1-0.20200403140640-efb5e2a48a86": "v1.29.0",
	} {
		if got, err := normalizeVersion(in); err != nil || got != want {
			t.Errorf("normalizeVersion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := normalizeVersion("v0.0.0-20200403140640-efb5e2a48a86"); err == nil {
		t.Error("a pseudo-version with no tag before it was accepted")
	}
}

func TestProgramDependenciesDropTheVersionOfAReplacedModule(t *testing.T) {
	f, err := modfile.Parse("go.mod", []byte(`module m
require (
	example.com/sdk v0.0.0
	example.com/lib v1.2.3
	example.com/deep v0.4.0 // indirect
)
replace example.com/sdk => ../sdk
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	direct := []plugin.DependencyInfo{{Name: "example.com/sdk"}, {Name: "example.com/lib", Version: "v1.2.3"}}
	if got := programDependencies(f, false); !reflect.DeepEqual(got, direct) {
		t.Errorf("direct = %+v", got)
	}
	if got := programDependencies(f, true); len(got) != 3 || got[2].Version != "v0.4.0" {
		t.Errorf("transitive = %+v", got)
	}
}

func TestAModuleIsAPackageByItsPluginJSON(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "launchpad"), 0o755); err != nil {
		t.Fatal(err)
	}
	json := `{"resource": true, "name": "launchpad", "version": "0.1.0", "server": "github://api.github.com/o/r"}`
	if err := os.WriteFile(filepath.Join(dir, "launchpad", "pulumi-plugin.json"), []byte(json), 0o644); err != nil {
		t.Fatal(err)
	}
	pkg, err := modInfo{Path: "github.com/o/r/sdk/go", Version: "v0.0.0", Dir: dir}.pulumiPackage()
	if err != nil {
		t.Fatal(err)
	}
	if pkg.GetName() != "launchpad" || pkg.GetVersion() != "0.1.0" || pkg.GetServer() != "github://api.github.com/o/r" ||
		pkg.GetKind() != "resource" {
		t.Errorf("package = %v", pkg)
	}
	// Without a pulumi-plugin.json only upstream's naming makes a module a package.
	if _, err := (modInfo{Path: "example.com/lib", Version: "v1.0.0", Dir: t.TempDir()}).pulumiPackage(); err == nil {
		t.Error("a plain module was taken for a package")
	}
	aws, err := modInfo{Path: "github.com/pulumi/pulumi-aws/sdk/v7", Version: "v7.48.0", Dir: t.TempDir()}.pulumiPackage()
	if err != nil || aws.GetName() != "aws" || aws.GetVersion() != "v7.48.0" {
		t.Errorf("aws = %v, %v", aws, err)
	}
}

// The program is built as upstream builds it: -trimpath, so that the binary (its panics,
// its debug data) names no path of the machine it was built on.
func TestBuildProgramTrimsTheBuildDirectory(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, text := range map[string]string{
		"go.mod":  "module example.com/prog\n\ngo 1.21\n",
		"main.go": "package main\n\nfunc main() { panic(\"where\") }\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "prog")
	if _, err := buildProgram(context.Background(), gobin, dir, out); err != nil {
		t.Fatalf("build: %v", err)
	}
	binary, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(binary), dir) {
		t.Errorf("the binary names the build directory %s: not built with -trimpath", dir)
	}
}
