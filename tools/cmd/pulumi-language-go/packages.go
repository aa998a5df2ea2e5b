package main

// What a Go program depends on: its go.mod, read through the go command, and
// which of the required modules are Pulumi packages (a pulumi-plugin.json that
// says `resource: true`, or upstream's github.com/pulumi/pulumi-<name> naming),
// found the way upstream's host finds them so that the engine starts the same
// plugins for a program whichever host runs it.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// modInfo is what both `go list -m -json` and `go mod download -json` print of a module.
type modInfo struct {
	Path    string
	Version string
	Dir     string // the module's source, when it is on disk
}

// loadGoMod finds the go.mod of the module holding programDir (the program may
// sit in a subdirectory) and parses it; it returns the module's directory.
func loadGoMod(ctx context.Context, gobin, programDir string) (string, *modfile.File, error) {
	cmd := exec.CommandContext(ctx, gobin, "list", "-m", "-f", "{{.GoMod}}")
	// A workspace would make `list -m` print every module in it; we want this one.
	cmd.Env = append(os.Environ(), "GOWORK=off")
	cmd.Dir = programDir
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", nil, fmt.Errorf("go list -m: %w", err)
	}
	path := string(bytes.TrimSpace(out))
	if path == "" {
		return "", nil, fmt.Errorf("no go.mod file found: %v", programDir)
	}
	body, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	f, err := modfile.Parse(path, body, nil)
	if err != nil {
		return "", nil, fmt.Errorf("parse: %w", err)
	}
	return filepath.Dir(path), f, nil
}

// programDependencies is go.mod's require list; a locally replaced module has
// no version any more, so none is reported for it.
func programDependencies(gomod *modfile.File, transitive bool) []plugin.DependencyInfo {
	replaced := map[string]bool{}
	for _, r := range gomod.Replace {
		replaced[strings.TrimRight(r.Old.Path, "/")] = true
	}
	var deps []plugin.DependencyInfo
	for _, r := range gomod.Require {
		if r.Indirect && !transitive {
			continue
		}
		version := r.Mod.Version
		if replaced[strings.TrimRight(r.Mod.Path, "/")] {
			version = ""
		}
		deps = append(deps, plugin.DependencyInfo{Name: r.Mod.Path, Version: version})
	}
	return deps
}

// requiredPackages lists the Pulumi packages among the program's required
// modules. Problems are logged and leave the list short, as upstream's are.
func requiredPackages(ctx context.Context, gobin, programDir string) []*pulumirpc.PackageDependency {
	moduleDir, gomod, err := loadGoMod(ctx, gobin, programDir)
	if err != nil {
		logging.V(5).Infof("GetRequiredPackages: Error reading go.mod: %v", err)
		return nil
	}
	paths := make([]string, 0, len(gomod.Require))
	for _, r := range gomod.Require {
		paths = append(paths, r.Mod.Path)
	}
	mods, err := moduleSources(ctx, gobin, moduleDir, paths)
	if err != nil {
		logging.V(5).Infof("GetRequiredPackages: Error finding module sources: %v", err)
		return nil
	}
	var pkgs []*pulumirpc.PackageDependency
	for _, m := range mods {
		pkg, err := m.pulumiPackage()
		if err != nil {
			logging.V(5).Infof("GetRequiredPackages: Ignoring dependency: %s, version: %s, error: %s",
				m.Path, m.Version, err)
			continue
		}
		pkgs = append(pkgs, pkg)
	}
	return pkgs
}

// moduleSources finds where the given modules' sources are: `go list -m`
// first; in vendor mode the vendor directory (nothing can be downloaded
// there); otherwise `go mod download` for the modules not yet in the cache.
// Modules whose source cannot be found are left out.
func moduleSources(ctx context.Context, gobin, moduleDir string, paths []string) ([]modInfo, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	mods, err := goJSON(ctx, gobin, moduleDir, append([]string{"list", "-m", "-json"}, paths...))
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	vendor := filepath.Join(moduleDir, "vendor")
	if _, err := os.Stat(vendor); err == nil {
		for i := range mods {
			if mods[i].Dir == "" {
				if _, err := os.Stat(filepath.Join(vendor, mods[i].Path)); err == nil {
					mods[i].Dir = filepath.Join(vendor, mods[i].Path)
				}
			}
		}
		return withSource(mods), nil
	}
	index := map[string]int{}
	var missing []string
	for i, m := range mods {
		index[m.Path] = i
		if m.Dir == "" {
			missing = append(missing, m.Path)
		}
	}
	if len(missing) > 0 {
		downloaded, err := goJSON(ctx, gobin, moduleDir, append([]string{"mod", "download", "-json"}, missing...))
		if err != nil {
			return nil, fmt.Errorf("go mod download: %w", err)
		}
		for _, d := range downloaded {
			if i, ok := index[d.Path]; ok && d.Dir != "" && mods[i].Dir == "" {
				mods[i].Dir = d.Dir
			}
		}
	}
	return withSource(mods), nil
}

func withSource(mods []modInfo) []modInfo {
	kept := mods[:0]
	for _, m := range mods {
		if m.Dir != "" {
			kept = append(kept, m)
		}
	}
	return kept
}

// goJSON runs a go command that prints a stream of module JSON objects.
func goJSON(ctx context.Context, gobin, dir string, args []string) ([]modInfo, error) {
	cmd := exec.CommandContext(ctx, gobin, args...)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	var mods []modInfo
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var m modInfo
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("decode module info: %w", err)
		}
		mods = append(mods, m)
	}
	return mods, nil
}

// pluginJSON reads the module's pulumi-plugin.json from where generated SDKs
// put it (the module root, go/, go/*/, */), or nil when there is none.
func (m modInfo) pluginJSON() (*plugin.PulumiPluginJSON, error) {
	paths := []string{filepath.Join(m.Dir, "pulumi-plugin.json"), filepath.Join(m.Dir, "go", "pulumi-plugin.json")}
	for _, pattern := range []string{filepath.Join(m.Dir, "go", "*", "pulumi-plugin.json"),
		filepath.Join(m.Dir, "*", "pulumi-plugin.json")} {
		if found, err := filepath.Glob(pattern); err == nil {
			paths = append(paths, found...)
		}
	}
	for _, p := range paths {
		info, err := plugin.LoadPulumiPluginJSON(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		return info, err
	}
	return nil, nil
}

// pulumiPackage is the package the module stands for, or an error saying why it is none.
func (m modInfo) pulumiPackage() (*pulumirpc.PackageDependency, error) {
	info, err := m.pluginJSON()
	if err != nil {
		return nil, fmt.Errorf("failed to load pulumi-plugin.json: %w", err)
	}
	if (info == nil && !strings.HasPrefix(m.Path, "github.com/pulumi/pulumi-")) || (info != nil && !info.Resource) {
		return nil, errors.New("module is not a pulumi provider")
	}
	var name string
	if info != nil && info.Name != "" {
		name = info.Name
	} else {
		// github.com/pulumi/pulumi-aws/sdk/... => aws
		name = strings.SplitN(strings.Split(m.Path, "/")[2], "-", 2)[1]
	}
	version := m.Version
	if info != nil && info.Version != "" {
		version = info.Version
	}
	if version, err = normalizeVersion(version); err != nil {
		return nil, err
	}
	pkg := &pulumirpc.PackageDependency{Name: name, Version: version, Kind: "resource"}
	if info != nil {
		pkg.Server = info.Server
		if p := info.Parameterization; p != nil {
			pkg.Parameterization = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
		}
	}
	return pkg, nil
}

// normalizeVersion turns a module version into a plugin version. A pseudo-version
// (a commit after a tag) names the release before it: its patch is one lower.
func normalizeVersion(version string) (string, error) {
	v, err := semver.ParseTolerant(version)
	if err != nil {
		return "", errors.New("module does not have semver compatible version")
	}
	if module.IsPseudoVersion(version) {
		if v.Major == 0 && v.Minor == 0 && v.Patch == 0 {
			return "", errors.New("invalid pseudo-version with no prior tag")
		}
		patch := v.Patch
		if patch > 0 {
			patch--
		}
		version = fmt.Sprintf("v%v.%v.%v", v.Major, v.Minor, patch)
	}
	return version, nil
}
