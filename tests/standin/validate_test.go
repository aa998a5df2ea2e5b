package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const (
	tBucket = "test:s3/bucket:Bucket"
	tDist   = "test:cdn/distribution:Distribution"
)

type obj = map[string]any
type arr = []any

func fixture(t *testing.T) *Schema {
	t.Helper()
	s, err := LoadSchema("testdata/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func unk() resource.PropertyValue { return resource.MakeComputed(resource.NewStringProperty("")) }
func secret(v any) resource.PropertyValue {
	return resource.MakeSecret(resource.NewPropertyValue(v))
}

func validDist() obj {
	return obj{
		"enabled": true,
		"origins": arr{obj{"domainName": "b.s3.example", "originId": "s3"}},
		"defaultCacheBehavior": obj{
			"allowedMethods": arr{"GET", "HEAD"}, "targetOriginId": "s3",
		},
	}
}

func check(t *testing.T, v *Validator, token string, in obj) *Result {
	t.Helper()
	res, err := v.CheckResource(token, resource.NewPropertyMapFromMap(in))
	if err != nil {
		t.Fatalf("CheckResource(%s): %v", token, err)
	}
	return res
}

// expectFailures asserts the failures, each given as "path: substring of reason".
func expectFailures(t *testing.T, got []Failure, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d failures, want %d:\n%s", len(got), len(want), fmtFailures(got))
	}
	for i, w := range want {
		path, sub, _ := strings.Cut(w, ": ")
		if got[i].Path != path || !strings.Contains(got[i].Reason, sub) {
			t.Errorf("failure %d = %s: %s\nwant path %q with reason containing %q", i, got[i].Path, got[i].Reason, path, sub)
		}
	}
}

func fmtFailures(f []Failure) string {
	var b strings.Builder
	for _, x := range f {
		b.WriteString("  " + x.Path + ": " + x.Reason + "\n")
	}
	return b.String()
}

func TestValidInputs(t *testing.T) {
	v := &Validator{Schema: fixture(t)}
	expectFailures(t, check(t, v, tBucket, obj{}).Failures)
	expectFailures(t, check(t, v, tBucket, obj{
		"bucket": "b", "forceDestroy": false, "tags": obj{"Name": "x", "a b": "c"},
		"policy": `{"Version":"2012-10-17"}`, "role": "arn:aws:iam::1:role/r",
		"corsRules":  arr{obj{"allowedMethods": arr{"GET"}, "maxAgeSeconds": 3000}},
		"__defaults": arr{}, // engine/bridge metadata is ignored
	}).Failures)
	d := validDist()
	d["priceClass"] = "PriceClass_100"
	d["ttl"] = 60
	d["password"] = "hunter2"
	d["defaultCacheBehavior"].(obj)["forwardedValues"] = obj{"queryString": false}
	expectFailures(t, check(t, v, tDist, d).Failures)
}

func TestUnknownProperty(t *testing.T) {
	v := &Validator{Schema: fixture(t)}
	res := check(t, v, tBucket, obj{"bukket": "b", "force_destroy": true, "zzzzzzzzzz": 1})
	expectFailures(t, res.Failures,
		`bukket: unknown property "bukket": test:s3/bucket:Bucket has no input property of that name (did you mean "bucket"?)`,
		`force_destroy: did you mean "forceDestroy"?`,
		`zzzzzzzzzz: unknown property "zzzzzzzzzz"`,
	)
	if strings.Contains(res.Failures[2].Reason, "did you mean") {
		t.Errorf("no suggestion expected for a far-off name: %s", res.Failures[2].Reason)
	}
	// nested
	d := validDist()
	d["origins"].(arr)[0].(obj)["domainNam"] = "x"
	expectFailures(t, check(t, v, tDist, d).Failures,
		`origins[0].domainNam: unknown property "domainNam": cdn.Origin has no input property of that name (did you mean "domainName"?)`)
}

func TestMissingRequired(t *testing.T) {
	v := &Validator{Schema: fixture(t)}
	expectFailures(t, check(t, v, tDist, obj{}).Failures,
		`defaultCacheBehavior: missing required property "defaultCacheBehavior" (of test:cdn/distribution:Distribution; type cdn.CacheBehavior)`,
		`enabled: missing required property "enabled"`,
		`origins: missing required property "origins"`,
	)
	// null counts as missing; so does a secret null
	d := validDist()
	d["enabled"] = nil
	d["origins"] = secret(nil)
	expectFailures(t, check(t, v, tDist, d).Failures, `enabled: missing required`, `origins: missing required`)
	// nested, inside arrays and inline objects
	d = validDist()
	d["origins"] = arr{obj{"domainName": "a", "originId": "a"}, obj{"domainName": "b",
		"customHeaders": arr{obj{"name": "X-A"}}}}
	d["defaultCacheBehavior"].(obj)["forwardedValues"] = obj{}
	expectFailures(t, check(t, v, tDist, d).Failures,
		`defaultCacheBehavior.forwardedValues.queryString: missing required property "queryString" (of object`,
		`origins[1].customHeaders[0].value: missing required property "value" (of cdn.OriginCustomHeader`,
		`origins[1].originId: missing required property "originId" (of cdn.Origin`,
	)
}

func TestWrongTypes(t *testing.T) {
	v := &Validator{Schema: fixture(t)}
	res := check(t, v, tBucket, obj{
		"bucket":       obj{"name": "b"},
		"forceDestroy": "yes",
		"tags":         arr{"a"},
		"corsRules":    obj{"allowedMethods": arr{"GET"}},
		"source":       "not an asset",
	})
	expectFailures(t, res.Failures,
		`bucket: expected string, got {"name":"b"} of type object`,
		`corsRules: expected array<s3.CorsRule>, got {"allowedMethods":["GET"]} of type object`,
		`forceDestroy: expected boolean, got "yes" of type string`,
		`source: expected asset | archive, got "not an asset" of type string`,
		`tags: expected map<string>, got ["a"] of type array`,
	)
	d := validDist()
	d["ttl"] = "sixty"
	d["enabled"] = arr{true}
	d["origins"] = arr{obj{"domainName": "a", "originId": "a", "connectionAttempts": "three"}, nil}
	d["defaultCacheBehavior"].(obj)["allowedMethods"] = "GET"
	expectFailures(t, check(t, v, tDist, d).Failures,
		`defaultCacheBehavior.allowedMethods: expected array<string>, got "GET" of type string`,
		`enabled: expected boolean, got [true] of type array`,
		`origins[0].connectionAttempts: expected number, got "three" of type string`,
		`origins[1]: null element in a list of cdn.Origin`,
		`ttl: expected number, got "sixty" of type string`,
	)
}

// The bridge coerces 1 -> "1", "60" -> 60, "true" -> true; the stand-in accepts
// those (reporting them as coercions) unless strict.
func TestCoercions(t *testing.T) {
	in := func() obj {
		d := validDist()
		d["comment"] = 42
		d["ttl"] = "60"
		d["enabled"] = "true"
		return d
	}
	v := &Validator{Schema: fixture(t)}
	res := check(t, v, tDist, in())
	expectFailures(t, res.Failures)
	expectFailures(t, res.Coercions,
		`comment: 42 given for a string property (the bridge would coerce it)`,
		`enabled: "true" given for a boolean property`,
		`ttl: "60" given for a number property`,
	)
	strict := &Validator{Schema: fixture(t), Strict: true}
	expectFailures(t, check(t, strict, tDist, in()).Failures, `comment: 42 given`, `enabled: "true" given`, `ttl: "60" given`)
}

func TestUnknownsSecretsAndOutputs(t *testing.T) {
	v := &Validator{Schema: fixture(t)}
	d := validDist()
	d["enabled"] = unk()
	d["origins"] = arr{unk(), obj{"domainName": unk(), "originId": secret("s3")}}
	d["defaultCacheBehavior"] = unk()
	d["password"] = secret("hunter2")
	d["ttl"] = resource.NewProperty(resource.Output{Element: resource.NewPropertyValue(30.0), Known: true, Secret: true})
	d["comment"] = resource.NewProperty(resource.Output{Known: false})
	expectFailures(t, check(t, v, tDist, d).Failures)

	// a secret does not hide a wrong value, nor does a known output value
	d = validDist()
	d["password"] = secret(obj{"a": 1})
	d["ttl"] = resource.NewProperty(resource.Output{Element: resource.NewPropertyValue(arr{1}), Known: true})
	expectFailures(t, check(t, v, tDist, d).Failures,
		`password: expected string, got {"a":1} of type object`,
		`ttl: expected number, got [1] of type array`)

	// a whole unknown input map is fine at any level, required keys included
	expectFailures(t, check(t, v, tBucket, obj{"tags": unk(), "corsRules": arr{unk()}}).Failures)
}

func TestOneOf(t *testing.T) {
	v := &Validator{Schema: fixture(t)}
	ok := obj{"Version": "2012-10-17", "Statement": arr{obj{"Effect": "Allow"}}}
	expectFailures(t, check(t, v, tBucket, obj{"policy": ok}).Failures)
	expectFailures(t, check(t, v, tBucket, obj{"policy": "{}"}).Failures)
	// an object is checked as the object member of the union
	expectFailures(t, check(t, v, tBucket, obj{"policy": obj{"Version": "2020-01-01", "Statements": arr{}}}).Failures,
		`policy.Statement: missing required property "Statement" (of s3.PolicyDocument`,
		`policy.Statements: unknown property "Statements"`,
		`policy.Version: "2020-01-01" is not a value of enum iam.PolicyDocumentVersion; valid: "2012-10-17", "2008-10-17"`,
	)
	expectFailures(t, check(t, v, tBucket, obj{"policy": arr{"x"}}).Failures,
		`policy: expected string | s3.PolicyDocument, got ["x"] of type array`)
	// resource references are accepted where the SDK type allows a resource
	ref := resource.MakeCustomResourceReference("urn:pulumi:s::p::test:iam/role:Role::r", "r-1", "1.2.3")
	expectFailures(t, check(t, v, tBucket, obj{"role": ref}).Failures)
}

func TestEnum(t *testing.T) {
	v := &Validator{Schema: fixture(t)}
	d := validDist()
	d["priceClass"] = "PriceClass_50"
	expectFailures(t, check(t, v, tDist, d).Failures,
		`priceClass: "PriceClass_50" is not a value of enum cdn.PriceClass; valid: "PriceClass_All", "PriceClass_200", "PriceClass_100"`)
	d["priceClass"] = obj{}
	expectFailures(t, check(t, v, tDist, d).Failures, `priceClass: expected enum cdn.PriceClass, got {} of type object`)
}

func TestUnknownToken(t *testing.T) {
	v := &Validator{Schema: fixture(t)}
	_, err := v.CheckResource("test:s3/buckt:Buckt", resource.PropertyMap{})
	var ute *UnknownTokenError
	if !errors.As(err, &ute) {
		t.Fatalf("want UnknownTokenError, got %v", err)
	}
	want := `stand-in test 1.2.3: unknown resource type "test:s3/buckt:Buckt": it is not in the test provider schema (did you mean "test:s3/bucket:Bucket"?)`
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
}

func TestConfig(t *testing.T) {
	v := &Validator{Schema: fixture(t)}
	res := v.CheckConfig(resource.NewPropertyMapFromMap(obj{"region": "us-east-1", "version": "7.48.0", "maxRetries": arr{}}))
	expectFailures(t, res.Failures, `maxRetries: expected number, got [] of type array`)
}

func TestLoadSchemaRejectsDanglingRefs(t *testing.T) {
	dir := t.TempDir()
	p := dir + "/s.json"
	writeFile(t, p, `{"package":"x","version":"1","resources":{"x:a:A":{"inputs":{"a":{"type":{"ref":"nope.T"}}},"outputs":{}}}}`)
	if _, err := LoadSchema(p); err == nil || !strings.Contains(err.Error(), "x:a:A.a -> type nope.T") {
		t.Fatalf("want dangling ref error, got %v", err)
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"bucket", "bucketPrefix", "forceDestroy", "tags"}
	for in, want := range map[string]string{
		"Bucket": "bucket", "bucket_prefix": "bucketPrefix", "tag": "tags", "forceDestory": "forceDestroy", "qqqqqqqq": "",
	} {
		if got := suggest(in, cands); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}
