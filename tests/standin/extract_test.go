package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// sdkDir finds the node_modules tree that build.sh installs. Without it the
// extractor tests skip, unless STANDIN_REQUIRE_SDK=1 (build.sh test sets it).
func sdkDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("STANDIN_NPM_DIR")
	if dir == "" {
		dir = filepath.Join("..", ".cache", "standin", "npm", "node_modules")
	}
	if _, err := os.Stat(filepath.Join(dir, "@pulumi", "aws", "package.json")); err != nil {
		if os.Getenv("STANDIN_REQUIRE_SDK") == "1" {
			t.Fatalf("the npm SDKs are not installed in %s: run tests/standin/build.sh", dir)
		}
		t.Skipf("the npm SDKs are not installed in %s: run tests/standin/build.sh (or set STANDIN_REQUIRE_SDK=1 to fail)", dir)
	}
	return dir
}

// versionsEnv reads tools/versions.env (KEY=value lines), if present.
func versionsEnv() map[string]string {
	m := map[string]string{"STANDIN_PACKAGES": "aws,gcp", "AWS_PROVIDER_VERSION": "7.48.0", "GCP_PROVIDER_VERSION": "9.37.0"}
	f, err := os.Open(filepath.Join("..", "..", "tools", "versions.env"))
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			m[k] = v
		}
	}
	return m
}

// standinPackages is the list of clouds the stand-in plays (STANDIN_PACKAGES
// in tools/versions.env), which build.sh and the e2e harness read too.
func standinPackages() []string {
	return strings.Split(versionsEnv()["STANDIN_PACKAGES"], ",")
}

// TestEveryListedPackageExtractsAtItsPinnedVersion: a cloud added to the list
// gets a schema of the version its children request, with resources in it.
func TestEveryListedPackageExtractsAtItsPinnedVersion(t *testing.T) {
	for _, pkg := range standinPackages() {
		t.Run(pkg, func(t *testing.T) {
			t.Parallel()
			s := extract(t, pkg)
			want := versionsEnv()[strings.ToUpper(pkg)+"_PROVIDER_VERSION"]
			if want == "" {
				t.Fatalf("%s is in STANDIN_PACKAGES but tools/versions.env sets no %s_PROVIDER_VERSION", pkg, strings.ToUpper(pkg))
			}
			if s.Package != pkg || s.Version != want {
				t.Fatalf("package %s %s, want %s %s", s.Package, s.Version, pkg, want)
			}
			if len(s.Resources) == 0 {
				t.Errorf("no resources in the %s schema", pkg)
			}
		})
	}
}

// extract runs extract-schema.mjs on one SDK package and loads the result.
func extract(t *testing.T, pkg string) *Schema {
	t.Helper()
	out := filepath.Join(t.TempDir(), pkg+".json")
	cmd := exec.Command("node", "extract-schema.mjs", "--sdk", filepath.Join(sdkDir(t), "@pulumi", pkg), "--out", out)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("extract-schema %s: %v\n%s", pkg, err, b)
	}
	t.Logf("%s", strings.TrimSpace(string(b)))
	if strings.Contains(string(b), "typed as \"any\"") {
		t.Errorf("extractor left type references unresolved:\n%s", b)
	}
	s, err := LoadSchema(out)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func required(props map[string]*Property) []string {
	var r []string
	for n, p := range props {
		if p.Required {
			r = append(r, n)
		}
	}
	sort.Strings(r)
	return r
}

func expectRequired(t *testing.T, what string, props map[string]*Property, want ...string) {
	t.Helper()
	if got := strings.Join(required(props), ","); got != strings.Join(want, ",") {
		t.Errorf("%s: required = [%s], want [%s]", what, got, strings.Join(want, ","))
	}
}

func expectType(t *testing.T, what string, p *Property, want string) {
	t.Helper()
	if p == nil {
		t.Errorf("%s: missing", what)
		return
	}
	if got := p.Type.String(); got != want {
		t.Errorf("%s: type %s, want %s", what, got, want)
	}
}

func res(t *testing.T, s *Schema, token string) *Resource {
	t.Helper()
	r := s.Resources[token]
	if r == nil {
		t.Fatalf("%s not in the %s schema", token, s.Package)
	}
	return r
}

func TestExtractAWS(t *testing.T) {
	t.Parallel()
	s := extract(t, "aws")
	if want := versionsEnv()["AWS_PROVIDER_VERSION"]; s.Package != "aws" || s.Version != want {
		t.Fatalf("package %s %s, want aws %s", s.Package, s.Version, want)
	}
	if len(s.Resources) < 1500 {
		t.Errorf("only %d resources", len(s.Resources))
	}

	b := res(t, s, "aws:s3/bucket:Bucket")
	expectRequired(t, "Bucket", b.Inputs)
	expectType(t, "Bucket.bucket", b.Inputs["bucket"], "string")
	expectType(t, "Bucket.tags", b.Inputs["tags"], "map<string>")
	expectType(t, "Bucket.forceDestroy", b.Inputs["forceDestroy"], "boolean")
	for _, o := range []string{"arn", "bucket", "bucketRegionalDomainName", "tagsAll"} {
		if b.Outputs[o] == nil || b.Outputs[o].Optional {
			t.Errorf("Bucket output %s: %+v", o, b.Outputs[o])
		}
	}

	oc := res(t, s, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")
	expectRequired(t, "BucketOwnershipControls", oc.Inputs, "bucket", "rule")
	expectType(t, "BucketOwnershipControls.rule", oc.Inputs["rule"], "s3.BucketOwnershipControlsRule")
	expectRequired(t, "s3.BucketOwnershipControlsRule", s.Types["s3.BucketOwnershipControlsRule"].Properties, "objectOwnership")

	pab := res(t, s, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
	expectRequired(t, "BucketPublicAccessBlock", pab.Inputs, "bucket")
	expectType(t, "BucketPublicAccessBlock.blockPublicAcls", pab.Inputs["blockPublicAcls"], "boolean")

	bp := res(t, s, "aws:s3/bucketPolicy:BucketPolicy")
	expectRequired(t, "BucketPolicy", bp.Inputs, "bucket", "policy")
	expectType(t, "BucketPolicy.policy", bp.Inputs["policy"], "string | s3.PolicyDocument")

	oac := res(t, s, "aws:cloudfront/originAccessControl:OriginAccessControl")
	expectRequired(t, "OriginAccessControl", oac.Inputs, "originAccessControlOriginType", "signingBehavior", "signingProtocol")

	d := res(t, s, "aws:cloudfront/distribution:Distribution")
	expectRequired(t, "Distribution", d.Inputs, "defaultCacheBehavior", "enabled", "origins", "restrictions", "viewerCertificate")
	expectType(t, "Distribution.origins", d.Inputs["origins"], "array<cloudfront.DistributionOrigin>")
	expectRequired(t, "cloudfront.DistributionOrigin", s.Types["cloudfront.DistributionOrigin"].Properties, "domainName", "originId")
	expectRequired(t, "cloudfront.DistributionDefaultCacheBehavior", s.Types["cloudfront.DistributionDefaultCacheBehavior"].Properties,
		"allowedMethods", "cachedMethods", "targetOriginId", "viewerProtocolPolicy")
	for _, o := range []string{"arn", "domainName", "hostedZoneId", "etag", "status"} {
		if d.Outputs[o] == nil {
			t.Errorf("Distribution output %s missing", o)
		}
	}

	// resources the WebService component will use
	for _, tok := range []string{
		"aws:ecs/cluster:Cluster", "aws:ecs/service:Service", "aws:ecs/taskDefinition:TaskDefinition",
		"aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup", "aws:lb/listener:Listener",
		"aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
		"aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/securityGroup:SecurityGroup",
		"aws:cloudwatch/logGroup:LogGroup", "aws:appautoscaling/target:Target", "aws:appautoscaling/policy:Policy",
		"aws:acm/certificate:Certificate", "aws:route53/record:Record",
	} {
		res(t, s, tok)
	}
	expectRequired(t, "TaskDefinition", res(t, s, "aws:ecs/taskDefinition:TaskDefinition").Inputs, "containerDefinitions", "family")
	expectType(t, "TaskDefinition.cpu", res(t, s, "aws:ecs/taskDefinition:TaskDefinition").Inputs["cpu"], "string")
	expectType(t, "RolePolicyAttachment.role", res(t, s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").Inputs["role"], "string | resource")

	if s.Config["region"] == nil {
		t.Errorf("config has no region")
	}

	// A StaticSite-like set of children passes; a broken one names the property.
	v := &Validator{Schema: s}
	unknownStr := resource.MakeComputed(resource.NewStringProperty(""))
	good := map[string]obj{
		"aws:s3/bucket:Bucket": {"forceDestroy": false, "tags": obj{"app": "site"}},
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls": {"bucket": unknownStr, "rule": obj{"objectOwnership": "BucketOwnerEnforced"}},
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {"bucket": unknownStr, "blockPublicAcls": true, "blockPublicPolicy": true,
			"ignorePublicAcls": true, "restrictPublicBuckets": true},
		"aws:s3/bucketPolicy:BucketPolicy": {"bucket": unknownStr, "policy": unknownStr},
		"aws:cloudfront/originAccessControl:OriginAccessControl": {"name": "site-oac", "originAccessControlOriginType": "s3",
			"signingBehavior": "always", "signingProtocol": "sigv4"},
		"aws:cloudfront/distribution:Distribution": {
			"enabled": true, "defaultRootObject": "index.html", "priceClass": "PriceClass_100",
			"origins": arr{obj{"originId": "s3", "domainName": unknownStr, "originAccessControlId": unknownStr}},
			"defaultCacheBehavior": obj{"targetOriginId": "s3", "viewerProtocolPolicy": "redirect-to-https",
				"allowedMethods": arr{"GET", "HEAD"}, "cachedMethods": arr{"GET", "HEAD"}, "compress": true,
				"cachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
			"customErrorResponses": arr{obj{"errorCode": 404, "responseCode": 200, "responsePagePath": "/index.html"}},
			"restrictions":         obj{"geoRestriction": obj{"restrictionType": "none"}},
			"viewerCertificate":    obj{"cloudfrontDefaultCertificate": true},
		},
	}
	for tok, in := range good {
		r, err := v.CheckResource(tok, resource.NewPropertyMapFromMap(in))
		if err != nil || len(r.Failures) != 0 || len(r.Coercions) != 0 {
			t.Errorf("%s: %v\n%s%s", tok, err, fmtFailures(r.Failures), fmtFailures(r.Coercions))
		}
	}
	bad := good["aws:cloudfront/distribution:Distribution"]
	bad["defaultCacheBehavior"] = obj{"targetOriginId": "s3", "allowedMethods": arr{"GET"}, "cachedMethods": arr{"GET"}}
	bad["origin"] = bad["origins"]
	delete(bad, "origins")
	r, _ := v.CheckResource("aws:cloudfront/distribution:Distribution", resource.NewPropertyMapFromMap(bad))
	expectFailures(t, r.Failures,
		`defaultCacheBehavior.viewerProtocolPolicy: missing required property "viewerProtocolPolicy" (of cloudfront.DistributionDefaultCacheBehavior; type string)`,
		`origin: unknown property "origin": aws:cloudfront/distribution:Distribution has no input property of that name (did you mean "origins"?)`,
		`origins: missing required property "origins"`,
	)
}

func TestExtractGCP(t *testing.T) {
	t.Parallel()
	s := extract(t, "gcp")
	if want := versionsEnv()["GCP_PROVIDER_VERSION"]; s.Package != "gcp" || s.Version != want {
		t.Fatalf("package %s %s, want gcp %s", s.Package, s.Version, want)
	}
	svc := res(t, s, "gcp:cloudrunv2/service:Service")
	expectRequired(t, "cloudrunv2 Service", svc.Inputs, "location", "template")
	expectType(t, "Service.template", svc.Inputs["template"], "cloudrunv2.ServiceTemplate")
	expectType(t, "Service.deletionProtection", svc.Inputs["deletionProtection"], "boolean")
	tmpl := s.Types["cloudrunv2.ServiceTemplate"].Properties
	expectType(t, "ServiceTemplate.containers", tmpl["containers"], "array<cloudrunv2.ServiceTemplateContainer>")
	expectType(t, "ServiceTemplate.maxInstanceRequestConcurrency", tmpl["maxInstanceRequestConcurrency"], "number")
	expectRequired(t, "cloudrunv2.ServiceTemplateContainer", s.Types["cloudrunv2.ServiceTemplateContainer"].Properties, "image")
	for _, o := range []string{"uri", "name", "location"} {
		if svc.Outputs[o] == nil {
			t.Errorf("Service output %s missing", o)
		}
	}
	acct := res(t, s, "gcp:serviceaccount/account:Account")
	expectType(t, "Account.accountId", acct.Inputs["accountId"], "string")
	if acct.Outputs["email"] == nil || acct.Outputs["member"] == nil {
		t.Errorf("Account outputs: %v", acct.Outputs)
	}
	expectRequired(t, "cloudrunv2 ServiceIamMember", res(t, s, "gcp:cloudrunv2/serviceIamMember:ServiceIamMember").Inputs, "member", "role")
	expectRequired(t, "secretmanager SecretIamMember", res(t, s, "gcp:secretmanager/secretIamMember:SecretIamMember").Inputs, "member", "role", "secretId")
	if s.Config["project"] == nil || s.Config["region"] == nil {
		t.Errorf("config lacks project/region")
	}

	v := &Validator{Schema: s}
	r, err := v.CheckResource("gcp:cloudrunv2/service:Service", resource.NewPropertyMapFromMap(obj{
		"location": "europe-west1", "ingress": "INGRESS_TRAFFIC_ALL", "deletionProtection": false,
		"template": obj{
			"serviceAccount":                resource.MakeComputed(resource.NewStringProperty("")),
			"maxInstanceRequestConcurrency": 80, "timeout": "300s",
			"scaling": obj{"minInstanceCount": 0, "maxInstanceCount": 10},
			"containers": arr{obj{
				"image": "ghcr.io/acme/api:1.4.2", "ports": obj{"containerPort": 8080},
				"resources": obj{"limits": obj{"cpu": "1", "memory": "512Mi"}, "cpuIdle": true},
				"envs":      arr{obj{"name": "A", "value": "b"}},
			}},
		},
	}))
	if err != nil || len(r.Failures) != 0 {
		t.Errorf("cloud run service: %v\n%s", err, fmtFailures(r.Failures))
	}
}
