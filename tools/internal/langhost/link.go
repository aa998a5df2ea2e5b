package langhost

// Link: `pulumi package add` generates a local SDK, then asks the program's language host
// to make the program use it. Each language records the SDK its own way; what they share
// is finding out, from the schema the engine serves, which package name the SDK has.

import (
	"context"

	"github.com/blang/semver"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// LinkedPackage is one package of a LinkRequest, bound with one language's importer.
type LinkedPackage struct {
	Ref schema.PackageReference
	Pkg *schema.Package
	// Path is the directory of the generated local SDK.
	Path string
}

// LoadLinkedPackages binds the schema of each dependency through the engine's schema
// loader at loaderTarget and imports the language section under language (as upstream's
// hosts do, so that e.g. nodejs.packageName or python.packageName are honoured).
func LoadLinkedPackages(
	ctx context.Context, loaderTarget string, deps []*pulumirpc.LinkRequest_LinkDependency,
	language string, importer schema.Language,
) ([]LinkedPackage, error) {
	client, err := schema.NewLoaderClient(loaderTarget)
	if err != nil {
		return nil, err
	}
	defer client.Close()
	loader := schema.NewCachedLoader(client)

	linked := make([]LinkedPackage, 0, len(deps))
	for _, dep := range deps {
		ref, err := schema.LoadPackageReferenceV2(ctx, loader, packageDescriptor(dep.GetPackage()))
		if err != nil {
			return nil, err
		}
		pkg, err := ref.Definition()
		if err != nil {
			return nil, err
		}
		if err := pkg.ImportLanguages(map[string]schema.Language{language: importer}); err != nil {
			return nil, err
		}
		linked = append(linked, LinkedPackage{Ref: ref, Pkg: pkg, Path: dep.GetPath()})
	}
	return linked, nil
}

// packageDescriptor names a package for the schema loader. A version that does not parse
// is left out (the loader then takes what the engine has), as upstream does.
func packageDescriptor(dep *pulumirpc.PackageDependency) *schema.PackageDescriptor {
	desc := &schema.PackageDescriptor{Name: dep.GetName(), DownloadURL: dep.GetServer()}
	if v, err := semver.New(dep.GetVersion()); err == nil {
		desc.Version = v
	} else {
		logging.V(5).Infof("invalid version %q for package %s", dep.GetVersion(), dep.GetName())
	}
	if p := dep.GetParameterization(); p != nil {
		desc.Parameterization = &schema.ParameterizationDescriptor{Name: p.GetName(), Value: p.GetValue()}
		if p.GetVersion() != "" {
			if v, err := semver.New(p.GetVersion()); err == nil {
				desc.Parameterization.Version = *v
			} else {
				logging.V(5).Infof("invalid version %q for parameterized package %s", p.GetVersion(), p.GetName())
			}
		}
	}
	return desc
}
