// Command pulumi-language-python is launchpad's Pulumi language host for
// Python programs: it runs a program with the project's interpreter through
// our embedded exec.py, and generates Python SDKs.
package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"strconv"

	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"

	"launchpad.dev/tools/internal/langhost"
)

//go:embed exec.py
var execScript []byte

func main() {
	err := langhost.Serve(os.Args[1:], func(engine string) pulumirpc.LanguageRuntimeServer {
		return &pythonHost{Host: langhost.NewHost(engine)}
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-language-python:", err)
		os.Exit(1)
	}
}

type pythonHost struct {
	*langhost.Host
}

// pythonOptions maps Pulumi.yaml `runtime.options` (virtualenv, toolchain) onto
// the SDK's toolchain options. A relative virtualenv is relative to the project
// root (the directory of Pulumi.yaml), as upstream resolves it.
// resolveToolchain finds the program's Python (virtualenv, poetry, uv) from its options.
func resolveToolchain(info *pulumirpc.ProgramInfo) (toolchain.Toolchain, error) {
	opts, err := pythonOptions(info)
	if err != nil {
		return nil, err
	}
	return toolchain.ResolveToolchain(opts)
}

func pythonOptions(info *pulumirpc.ProgramInfo) (toolchain.PythonOptions, error) {
	o := toolchain.PythonOptions{
		Root:       info.GetRootDirectory(),
		ProgramDir: info.GetProgramDirectory(),
		// Without a toolchain option, the SDK detects uv or poetry by their lock files and
		// falls back to pip, as upstream's host does.
		Toolchain: toolchain.Auto,
	}
	if o.Root == "" {
		o.Root = o.ProgramDir
	}
	raw := info.GetOptions().AsMap()
	if v, has := raw["virtualenv"]; has {
		s, ok := v.(string)
		if !ok {
			return o, errors.New("runtime option virtualenv must be a string")
		}
		o.Virtualenv = s
	}
	if v, has := raw["toolchain"]; has {
		switch v {
		case "pip":
			o.Toolchain = toolchain.Pip
		case "poetry":
			o.Toolchain = toolchain.Poetry
		case "uv":
			o.Toolchain = toolchain.Uv
		default:
			return o, fmt.Errorf("runtime option toolchain must be pip, poetry or uv, got %v", v)
		}
	}
	return o, nil
}

// execArgs is exec.py's command line (after the script path): the flags it
// parses, then the program and its arguments.
func execArgs(req *pulumirpc.RunRequest, engine string) []string {
	args := langhost.FlagArgs(
		"monitor", req.GetMonitorAddress(),
		"engine", engine,
		"project", req.GetProject(),
		"stack", req.GetStack(),
		"organization", req.GetOrganization(),
		"root_directory", req.GetInfo().GetRootDirectory(),
		"pwd", req.GetPwd(),
		"parallel", strconv.Itoa(int(req.GetParallel())),
		"dry_run", strconv.FormatBool(req.GetDryRun()),
	)
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	return append(args, req.GetArgs()...)
}

// execEnv adds the config variables exec.py loads into the SDK.
func execEnv(base []string, req *pulumirpc.RunRequest) ([]string, error) {
	cfg, err := langhost.ConfigJSON(req.GetConfig(), false)
	if err != nil {
		return nil, err
	}
	secrets, err := langhost.SecretKeysJSON(req.GetConfigSecretKeys())
	if err != nil {
		return nil, err
	}
	return append(base, "PULUMI_CONFIG="+cfg, "PULUMI_CONFIG_SECRET_KEYS="+secrets), nil
}

func (h *pythonHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	fail := func(err error) (*pulumirpc.RunResponse, error) {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	opts, err := pythonOptions(req.GetInfo())
	if err != nil {
		return fail(err)
	}
	tc, err := toolchain.ResolveToolchain(opts)
	if err != nil {
		return fail(err)
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return fail(err)
	}

	script, err := os.CreateTemp("", "pulumi-language-python-exec-*.py")
	if err != nil {
		return fail(err)
	}
	defer os.Remove(script.Name())
	if _, err := script.Write(execScript); err != nil {
		return fail(err)
	}
	if err := script.Close(); err != nil {
		return fail(err)
	}

	cmd, err := tc.Command(ctx, append([]string{script.Name()}, execArgs(req, h.Engine())...)...)
	if err != nil {
		return fail(err)
	}
	base := cmd.Env // the toolchain may have activated a virtualenv here
	if base == nil {
		base = os.Environ()
	}
	if cmd.Env, err = execEnv(base, req); err != nil {
		return fail(err)
	}
	cmd.Dir = req.GetInfo().GetProgramDirectory()
	return h.RunProgram(cmd), nil
}

func (h *pythonHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	opts, err := pythonOptions(req.GetInfo())
	if err != nil {
		return err
	}
	tc, err := toolchain.ResolveToolchain(opts)
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	err = tc.InstallDependencies(server.Context(), req.GetInfo().GetProgramDirectory(),
		req.GetUseLanguageVersionTools(), true /*showOutput*/, stdout, stderr)
	if err != nil {
		return err
	}
	return closer.Close()
}

func (h *pythonHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	tc, err := resolveToolchain(req.GetInfo())
	if err != nil {
		return nil, err
	}
	info, err := tc.About(ctx)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: info.PythonExecutable, Version: info.PythonVersion.String()}, nil
}

func (h *pythonHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	tc, err := resolveToolchain(req.GetInfo())
	if err != nil {
		return nil, err
	}
	pkgs, err := tc.ListPackages(ctx, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	return langhost.DependenciesResponse(pkgs), nil
}

func (h *pythonHost) GeneratePackage(
	ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return langhost.GeneratePackage(req, func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest,
		loader schema.ReferenceLoader,
	) (map[string][]byte, error) {
		// The tool name ends up in the generated files' headers, as upstream's does.
		files, err := codegen.GeneratePackage("pulumi-language-python", pkg, req.GetExtraFiles(), loader)
		if err != nil {
			return nil, err
		}
		breakInputsImportCycle(files)
		return files, nil
	})
}
