package langhost

import (
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func TestPackageDescriptorNamesVersionServerAndParameterization(t *testing.T) {
	d := packageDescriptor(&pulumirpc.PackageDependency{
		Name: "terraform-provider", Version: "0.8.1", Server: "https://example.test/releases",
		Parameterization: &pulumirpc.PackageParameterization{Name: "netlify", Version: "1.2.3", Value: []byte("v")},
	})
	if d.Name != "terraform-provider" || d.Version == nil || d.Version.String() != "0.8.1" ||
		d.DownloadURL != "https://example.test/releases" {
		t.Errorf("descriptor = %+v", d)
	}
	if p := d.Parameterization; p == nil || p.Name != "netlify" || p.Version.String() != "1.2.3" || string(p.Value) != "v" {
		t.Errorf("parameterization = %+v", d.Parameterization)
	}
	// A version that does not parse is left to the loader, as upstream leaves it.
	if d := packageDescriptor(&pulumirpc.PackageDependency{Name: "launchpad", Version: "latest"}); d.Version != nil {
		t.Errorf("version = %v, want none", d.Version)
	}
}
