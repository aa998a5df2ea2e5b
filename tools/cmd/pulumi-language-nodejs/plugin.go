package main

// Link and RunPlugin of the nodejs host, following upstream's pulumi-language-nodejs.

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/google/shlex"
	"github.com/pulumi/pulumi/pkg/v3/codegen/cgstrings"
	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/fsutil"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"launchpad.dev/tools/internal/langhost"
)

const (
	// The SDK's entry points for a plugin program and for a policy pack (which keeps the
	// calling convention of the old pulumi-analyzer-policy shim).
	runPluginModule     = "@pulumi/pulumi/cmd/run-plugin"
	runPolicyPackModule = "@pulumi/pulumi/cmd/run-policy-pack"
)

// policyEnv is what @pulumi/policy reads the stack's identity from.
var policyEnv = langhost.PolicyEnv{
	Organization: "PULUMI_NODEJS_ORGANIZATION",
	Project:      "PULUMI_NODEJS_PROJECT",
	Stack:        "PULUMI_NODEJS_STACK",
	DryRun:       "PULUMI_NODEJS_DRY_RUN",
}

// Link records each local SDK that `pulumi package add` generated as a `file:` dependency
// in the program's package.json (through its package manager; the CLI installs next) and
// answers how to import it.
func (h *nodeHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	pm, opts, err := programPackageManager(req.GetInfo())
	if err != nil {
		return nil, err
	}
	dir := req.GetInfo().GetProgramDirectory()
	linked, err := langhost.LoadLinkedPackages(ctx, req.GetLoaderTarget(), req.GetPackages(), "nodejs", codegen.Importer)
	if err != nil {
		return nil, err
	}

	isTypeScript := opts.typescript || opts.tsconfig != ""
	if !isTypeScript {
		if _, err := fsutil.Searchup(dir, "tsconfig.json"); err == nil {
			isTypeScript = true
		}
	}
	instructions := "You can import the SDK in your JavaScript code with:\n\n"
	if isTypeScript {
		instructions = "You can import the SDK in your TypeScript code with:\n\n"
	}
	moduleSyntax := isTypeScript || declaresESModule(dir)

	var imports strings.Builder
	for _, p := range linked {
		name := nodePackageName(p.Pkg)
		if err := pm.Link(ctx, dir, name, p.Path); err != nil {
			return nil, err
		}
		importName := cgstrings.Camel(p.Ref.Name())
		if moduleSyntax {
			fmt.Fprintf(&imports, "  import * as %s from %q;\n", importName, name)
		} else {
			fmt.Fprintf(&imports, "  const %s = require(%q);\n", importName, name)
		}
	}
	return &pulumirpc.LinkResponse{ImportInstructions: instructions + imports.String()}, nil
}

// declaresESModule tells whether the program's package.json says "type": "module".
func declaresESModule(dir string) bool {
	p, err := npm.SearchupPackageManifest(dir)
	if err != nil {
		return false
	}
	data, _, err := npm.ReadPackageManifest(filepath.Dir(p))
	if err != nil {
		return false
	}
	typ, _ := data["type"].(string)
	return typ == "module"
}

// nodePackageName is the npm name of a package's SDK: the schema's nodejs.packageName,
// else @<namespace>/<name>, else @pulumi/<name>.
func nodePackageName(pkg *schema.Package) string {
	if info, ok := pkg.Language["nodejs"].(codegen.NodePackageInfo); ok && info.PackageName != "" {
		return info.PackageName
	}
	if pkg.Namespace != "" {
		return "@" + pkg.Namespace + "/" + pkg.Name
	}
	return "@pulumi/" + pkg.Name
}

// RunPlugin runs a plugin or policy pack from its source directory with node, through the
// entry point of the plugin's own @pulumi/pulumi.
func (h *nodeHost) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	if err := langhost.CheckNoDebugger(req); err != nil {
		return err
	}
	ctx := server.Context()
	opts, err := parseOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on PATH: %w", err)
	}
	dir := req.GetInfo().GetProgramDirectory()
	policyPack := langhost.IsPolicyPack(req)
	module := runPluginModule
	if policyPack {
		module = runPolicyPackModule
	}
	runPath, err := resolveModule(ctx, node, dir, module)
	if err != nil {
		return err
	}
	nodeargs, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return fmt.Errorf("runtime option nodeargs: %w", err)
	}
	// As upstream: the runner first, then node arguments; a policy pack takes its
	// directory last, any other plugin first.
	args := append([]string{runPath}, nodeargs...)
	if policyPack {
		args = append(append(args, req.GetArgs()...), dir)
	} else {
		args = append(append(args, dir), req.GetArgs()...)
	}

	// The engine sends the whole environment the plugin runs with.
	env := req.GetEnv()
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Env = env
	run := langhost.PluginRun{Cmd: cmd}
	if policyPack {
		// Policy packs have always run in their own directory.
		cmd.Dir = dir
		run.Policy = &policyEnv
	} else {
		cmd.Dir = req.GetPwd()
	}
	return langhost.RunPlugin(server, run)
}
