package main

// Link and RunPlugin of the python host, following upstream's pulumi-language-python.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"

	"launchpad.dev/tools/internal/langhost"
)

// policyEnv is what pulumi_policy reads the stack's identity from.
var policyEnv = langhost.PolicyEnv{
	Organization: "PULUMI_ORGANIZATION",
	Project:      "PULUMI_PROJECT",
	Stack:        "PULUMI_STACK",
	DryRun:       "PULUMI_DRY_RUN",
}

// Link records each local SDK that `pulumi package add` generated as a dependency of the
// program (requirements.txt for pip; pyproject.toml for poetry and uv), which the CLI then
// installs into the virtualenv, and answers how to import it.
func (h *pythonHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	info := req.GetInfo()
	opts, err := pythonOptions(info)
	if err != nil {
		return nil, err
	}
	// A local build of the pulumi SDK itself has no schema: it is linked by name.
	packages := map[string]string{}
	var deps []*pulumirpc.LinkRequest_LinkDependency
	for _, dep := range req.GetPackages() {
		if dep.GetPackage().GetName() == "pulumi" {
			packages["pulumi"] = dep.GetPath()
		} else {
			deps = append(deps, dep)
		}
	}
	linked, err := langhost.LoadLinkedPackages(ctx, req.GetLoaderTarget(), deps, "python", codegen.Importer)
	if err != nil {
		return nil, err
	}

	instructions := "You can import the SDK in your Python code with:\n\n"
	if len(req.GetPackages()) > 1 {
		instructions = "You can import the SDKs in your Python code with:\n\n"
	}
	var imports strings.Builder
	for _, p := range linked {
		var importName, packageName string
		if pi, ok := p.Pkg.Language["python"].(codegen.PackageInfo); ok && pi.PackageName != "" {
			importName, packageName = pi.PackageName, pi.PackageName
		}
		if importName == "" {
			importName = strings.ReplaceAll(p.Ref.Name(), "-", "_")
		}
		if packageName == "" {
			packageName = codegen.PyPack(p.Ref.Namespace(), p.Ref.Name())
		}
		packages[packageName] = p.Path
		fmt.Fprintf(&imports, "  import %s as %s\n", packageName, importName)
	}

	if opts.Toolchain != toolchain.Pip {
		dir := info.GetProgramDirectory()
		if _, err := os.Stat(filepath.Join(dir, "pyproject.toml")); os.IsNotExist(err) {
			if _, err := os.Stat(filepath.Join(dir, "requirements.txt")); os.IsNotExist(err) {
				return nil, fmt.Errorf("no pyproject.toml or requirements.txt found in %s", dir)
			}
			// Not yet installed (`pulumi install` turns requirements.txt into pyproject.toml for
			// poetry and uv): link into requirements.txt, as upstream does.
			opts.Toolchain = toolchain.Pip
		}
	}
	tc, err := toolchain.ResolveToolchain(opts)
	if err != nil {
		return nil, err
	}
	if err := tc.LinkPackages(ctx, packages); err != nil {
		return nil, fmt.Errorf("linking packages: %w", err)
	}
	return &pulumirpc.LinkResponse{ImportInstructions: instructions + imports.String()}, nil
}

// RunPlugin runs a plugin or policy pack from its source directory with the project's
// Python: a policy pack through `python -u -m pulumi.policy <args> <dir>`; a plugin with a
// __main__.py by running its directory; a buildable package through `pulumi.run.plugin`.
func (h *pythonHost) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	if err := langhost.CheckNoDebugger(req); err != nil {
		return err
	}
	ctx := server.Context()
	policyPack := langhost.IsPolicyPack(req)
	opts, err := pythonOptions(req.GetInfo())
	if err != nil {
		return err
	}
	// Plugins do not run on the ambient Python: their virtualenv defaults to venv (as
	// upstream, also when the toolchain is left to detection); a policy pack, like a
	// program, may use the ambient one.
	if !policyPack && (opts.Toolchain == toolchain.Pip || opts.Toolchain == toolchain.Auto) && opts.Virtualenv == "" {
		opts.Virtualenv = "venv"
	}
	tc, err := toolchain.ResolveToolchain(opts)
	if err != nil {
		return err
	}

	hasMainPy := true
	if _, err := os.Stat(filepath.Join(opts.Root, "__main__.py")); os.IsNotExist(err) {
		hasMainPy = false
	} else if err != nil {
		return fmt.Errorf("looking for __main__.py: %w", err)
	}
	// An older pulumi in the plugin's environment lacks pulumi.run.plugin: then only the
	// __main__.py form can run.
	hasRunModule := true
	check, err := tc.Command(ctx, "-c", "import pulumi.run.plugin")
	if err != nil {
		return err
	}
	if out, err := check.CombinedOutput(); err != nil && strings.Contains(string(out), "ModuleNotFoundError") {
		hasRunModule = false
	}

	dir := req.GetInfo().GetProgramDirectory()
	var run langhost.PluginRun
	switch {
	case hasRunModule && !hasMainPy:
		buildable, err := toolchain.IsBuildablePackage(opts.Root)
		if err != nil {
			return fmt.Errorf("checking if plugin is a buildable package: %w", err)
		}
		if !buildable {
			return errors.New("plugin is not runnable, it provides neither __main__.py nor a buildable pyproject.toml")
		}
		pyproject, err := toolchain.LoadPyproject(opts.Root)
		if err != nil {
			return fmt.Errorf("loading pyproject: %w", err)
		}
		args := append([]string{pyproject.Project.Name}, req.GetArgs()...)
		if run.Cmd, err = tc.ModuleCommand(ctx, "pulumi.run.plugin", args...); err != nil {
			return err
		}
	case policyPack:
		args := append([]string{"-u", "-m", "pulumi.policy"}, req.GetArgs()...)
		if run.Cmd, err = tc.Command(ctx, append(args, dir)...); err != nil {
			return err
		}
	default:
		if run.Cmd, err = tc.Command(ctx, append([]string{dir}, req.GetArgs()...)...); err != nil {
			return err
		}
	}
	if policyPack {
		// Policy packs have always run in their own directory.
		run.Cmd.Dir = dir
		run.Policy = &policyEnv
	} else {
		run.Cmd.Dir = req.GetPwd()
	}
	// The engine sends the whole environment the plugin runs with; the toolchain's
	// (a virtualenv's PATH and VIRTUAL_ENV) comes on top of it.
	run.Cmd.Env = append(req.GetEnv(), run.Cmd.Env...)
	run.ExitCodeInStream = true
	return langhost.RunPlugin(server, run)
}
