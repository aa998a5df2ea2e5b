// Command pulumi-language-nodejs is launchpad's Pulumi language host for
// Node.js/TypeScript programs: it runs a program through the entry point that
// ships in the program's own @pulumi/pulumi (cmd/run) and generates nodejs SDKs.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/google/shlex"
	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"launchpad.dev/tools/internal/langhost"
)

// runModule is the SDK's program runner, resolved from the program directory.
const runModule = "@pulumi/pulumi/cmd/run"

func main() {
	err := langhost.Serve(os.Args[1:], func(engine string) pulumirpc.LanguageRuntimeServer {
		return &nodeHost{Host: langhost.NewHost(engine)}
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-language-nodejs:", err)
		os.Exit(1)
	}
}

type nodeHost struct {
	*langhost.Host
}

// options are the `runtime.options` of Pulumi.yaml that we honour.
type options struct {
	typescript     bool   // run .ts through the SDK's ts-node support (default true)
	tsconfig       string // tsconfig path handed to the SDK
	nodeargs       string // extra arguments for node itself
	packagemanager npm.PackageManagerType
}

func parseOptions(raw map[string]any) (options, error) {
	o := options{typescript: true, packagemanager: npm.AutoPackageManager}
	var ok bool
	if v, has := raw["typescript"]; has {
		if o.typescript, ok = v.(bool); !ok {
			return o, errors.New("runtime option typescript must be a boolean")
		}
	}
	if v, has := raw["tsconfig"]; has {
		if o.tsconfig, ok = v.(string); !ok {
			return o, errors.New("runtime option tsconfig must be a string")
		}
	}
	if v, has := raw["nodeargs"]; has {
		if o.nodeargs, ok = v.(string); !ok {
			return o, errors.New("runtime option nodeargs must be a string")
		}
	}
	if v, has := raw["packagemanager"]; has {
		s, isString := v.(string)
		switch pm := npm.PackageManagerType(s); {
		case !isString:
			return o, errors.New("runtime option packagemanager must be a string")
		case pm == npm.AutoPackageManager || pm == npm.NpmPackageManager || pm == npm.YarnPackageManager ||
			pm == npm.PnpmPackageManager || pm == npm.BunPackageManager:
			o.packagemanager = pm
		default:
			return o, fmt.Errorf("runtime option packagemanager must be auto, npm, yarn, pnpm or bun, got %q", s)
		}
	}
	return o, nil
}

// runArgs builds node's command line: node flags, the SDK runner and the flags
// the runner parses (see @pulumi/pulumi cmd/run), then the entry point and args.
func runArgs(req *pulumirpc.RunRequest, engine, runPath string, opts options) ([]string, error) {
	args, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return nil, fmt.Errorf("runtime option nodeargs: %w", err)
	}
	info := req.GetInfo()
	args = append(args, runPath)
	args = append(args, langhost.FlagArgs(
		"monitor", req.GetMonitorAddress(),
		"engine", engine,
		"organization", req.GetOrganization(),
		"project", req.GetProject(),
		"root-directory", info.GetRootDirectory(),
		"stack", req.GetStack(),
		"pwd", info.GetProgramDirectory(),
	)...)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	args = append(args, "--parallel", strconv.Itoa(int(req.GetParallel())))
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	return append(args, req.GetArgs()...), nil
}

// runEnv is the environment the SDK reads in addition to its flags.
func runEnv(base []string, req *pulumirpc.RunRequest, opts options) ([]string, error) {
	cfg, err := langhost.ConfigJSON(req.GetConfig(), true)
	if err != nil {
		return nil, fmt.Errorf("serialize config: %w", err)
	}
	secrets, err := langhost.SecretKeysJSON(req.GetConfigSecretKeys())
	if err != nil {
		return nil, err
	}
	env := append(base, "PULUMI_CONFIG="+cfg, "PULUMI_CONFIG_SECRET_KEYS="+secrets)
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return env, nil
}

// resolveModule asks node where a module resolves to from dir, so that the
// program's own @pulumi/pulumi (and its version) is the one that runs.
func resolveModule(ctx context.Context, node, dir, module string) (string, error) {
	script := "try { console.log(require.resolve(" + strconv.Quote(module) + ")) } catch (e) { " +
		"console.error(e.code === 'MODULE_NOT_FOUND' ? " +
		strconv.Quote("cannot find "+module+" from "+dir+": install the program's dependencies (npm install)") +
		" : e.message); process.exit(1) }"
	cmd := exec.CommandContext(ctx, node, "-e", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return "", errors.New(strings.TrimSpace(string(exitErr.Stderr)))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	opts, err := parseOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on PATH: " + err.Error()}, nil
	}
	dir := req.GetInfo().GetProgramDirectory()
	runPath, err := resolveModule(ctx, node, dir, runModule)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	args, err := runArgs(req, h.Engine(), runPath, opts)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env, err := runEnv(os.Environ(), req, opts)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = dir
	cmd.Env = env
	return h.RunProgram(cmd), nil
}

func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	opts, err := parseOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	dir := req.GetInfo().GetProgramDirectory()
	if root, err := npm.FindWorkspaceRoot(dir); err == nil {
		dir = root
	}
	fmt.Fprintln(stdout, "Installing dependencies...")
	name, err := npm.Install(server.Context(), opts.packagemanager, dir, false, stdout, stderr)
	if err != nil {
		return fmt.Errorf("%s install: %w", name, err)
	}
	fmt.Fprintf(stdout, "Finished installing dependencies with %s\n", name)
	return closer.Close()
}

func (h *nodeHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on PATH: %w", err)
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(out))}, nil
}

// programPackageManager is the package manager of the program (runtime option
// packagemanager, else detected from its lock files), with the program's options.
func programPackageManager(info *pulumirpc.ProgramInfo) (npm.PackageManager, options, error) {
	opts, err := parseOptions(info.GetOptions().AsMap())
	if err != nil {
		return nil, opts, err
	}
	pm, err := npm.ResolvePackageManager(opts.packagemanager, info.GetProgramDirectory())
	return pm, opts, err
}

func (h *nodeHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	pm, _, err := programPackageManager(req.GetInfo())
	if err != nil {
		return nil, err
	}
	pkgs, err := pm.ListPackages(ctx, req.GetInfo().GetProgramDirectory(), req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	return langhost.DependenciesResponse(pkgs), nil
}

func (h *nodeHost) GeneratePackage(
	ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return langhost.GeneratePackage(req, func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest,
		loader schema.ReferenceLoader,
	) (map[string][]byte, error) {
		// The tool name ends up in the generated files' headers, as upstream's does.
		files, err := codegen.GeneratePackage("pulumi-language-nodejs", pkg,
			req.GetExtraFiles(), req.GetLocalDependencies(), req.GetLocal(), loader)
		if err != nil {
			return nil, err
		}
		removeExistsMethods(files)
		return files, nil
	})
}
