package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
	"google.golang.org/protobuf/types/known/structpb"
)

func request(t *testing.T, opts map[string]any) *pulumirpc.RunRequest {
	t.Helper()
	o, err := structpb.NewStruct(opts)
	if err != nil {
		t.Fatal(err)
	}
	return &pulumirpc.RunRequest{
		MonitorAddress:   "127.0.0.1:1111",
		Project:          "proj",
		Stack:            "dev",
		Organization:     "organization",
		Pwd:              "/work/prog",
		DryRun:           true,
		Parallel:         8,
		Config:           map[string]string{"proj:greeting": "hi"},
		ConfigSecretKeys: []string{"proj:token"},
		Info: &pulumirpc.ProgramInfo{
			RootDirectory:    "/work/prog",
			ProgramDirectory: "/work/prog",
			EntryPoint:       ".",
			Options:          o,
		},
	}
}

func TestExecArgs(t *testing.T) {
	got := execArgs(request(t, nil), "127.0.0.1:2222")
	want := []string{
		"--monitor", "127.0.0.1:1111", "--engine", "127.0.0.1:2222", "--project", "proj",
		"--stack", "dev", "--organization", "organization", "--root_directory", "/work/prog",
		"--pwd", "/work/prog", "--parallel", "8", "--dry_run", "true", ".",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("execArgs =\n%q\nwant\n%q", got, want)
	}
}

func TestExecEnv(t *testing.T) {
	env, err := execEnv([]string{"PATH=/bin"}, request(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"PATH=/bin", `PULUMI_CONFIG={"proj:greeting":"hi"}`, `PULUMI_CONFIG_SECRET_KEYS=["proj:token"]`}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("execEnv = %q, want %q", env, want)
	}
}

func TestPythonOptions(t *testing.T) {
	o, err := pythonOptions(request(t, map[string]any{"virtualenv": "venv", "toolchain": "uv"}).Info)
	if err != nil || o.Virtualenv != "venv" || o.Toolchain != toolchain.Uv || o.Root != "/work/prog" {
		t.Errorf("options = %+v, %v", o, err)
	}
	if _, err := pythonOptions(request(t, map[string]any{"virtualenv": 3.0}).Info); err == nil {
		t.Error("a non-string virtualenv must fail")
	}
	if _, err := pythonOptions(request(t, map[string]any{"toolchain": "conda"}).Info); err == nil {
		t.Error("an unknown toolchain must fail")
	}
}

// The embedded exec script must at least be valid Python and parse our flags.
func TestExecScriptParsesArgs(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "exec.py")
	if err := os.WriteFile(script, execScript, 0o600); err != nil {
		t.Fatal(err)
	}
	// Load parse_args without importing pulumi (which may not be installed here).
	probe := `import ast, sys, argparse
src = open(sys.argv[1]).read()
tree = ast.parse(src)
fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "parse_args")
ns = {"argparse": argparse}
exec(compile(ast.Module(body=[fn], type_ignores=[]), "exec.py", "exec"), ns)
a = ns["parse_args"](sys.argv[2:])
print(a.monitor, a.dry_run, a.parallel, a.program, a.args)`
	args := append([]string{"-c", probe, script}, execArgs(request(t, nil), "e:1")...)
	args = append(args, "x", "--flag")
	out, err := exec.Command(python, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "127.0.0.1:1111 true 8 . ['x', '--flag']" {
		t.Errorf("parsed = %q", got)
	}
}

// Without a `toolchain` option the toolchain is detected from the program's lock files, as
// upstream's host does: a program with poetry.lock runs on poetry (absent here, so resolving
// it names poetry), not on pip.
func TestToolchainIsDetectedFromTheLockFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "poetry.lock"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir())
	info := &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir}
	_, err := resolveToolchain(info)
	if err == nil || !strings.Contains(err.Error(), "poetry") {
		t.Errorf("resolveToolchain = %v, want poetry's not-found error", err)
	}
}
