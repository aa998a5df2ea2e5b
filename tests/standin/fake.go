package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Constants of the fake world the stand-ins pretend to run in.
const (
	fakeAWSAccount = "123456789012"
	fakeAWSRegion  = "us-east-1"
	fakeGCPProject = "standin-project"
	fakeGCPRegion  = "us-central1"
	fakeDomain     = "standin.test" // reserved TLD: never resolves
)

func unknown() resource.PropertyValue { return resource.MakeComputed(resource.NewStringProperty("")) }

// previewOutputs: the inputs (over the old outputs, for an update) plus, as an
// unknown value, every output property that is not known yet and that the cloud
// computes. As in a Terraform plan, an output the SDK types as optional
// (`Output<T | undefined>`: optional and not computed) stays absent when no input
// sets it.
func previewOutputs(r *Resource, inputs, olds resource.PropertyMap) resource.PropertyMap {
	outs := resource.PropertyMap{}
	for k, v := range olds {
		outs[k] = v
	}
	for k, v := range inputs {
		outs[k] = v
	}
	for name, o := range r.Outputs {
		k := resource.PropertyKey(name)
		if v, ok := outs[k]; (!ok || v.IsNull()) && !o.Optional {
			outs[k] = unknown()
		}
	}
	return markSecrets(r, outs)
}

func markSecrets(r *Resource, outs resource.PropertyMap) resource.PropertyMap {
	for name, o := range r.Outputs {
		k := resource.PropertyKey(name)
		if v, ok := outs[k]; ok && o.Secret && !v.IsSecret() && !v.IsNull() && !v.IsComputed() {
			outs[k] = resource.MakeSecret(v)
		}
	}
	return outs
}

// shortHash: 8 lower-case hex digits, deterministic for s.
func shortHash(s string) string {
	return hashHex(s)[:8]
}

// hashHex: 64 lower-case hex digits, deterministic for s.
func hashHex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// uniqueSuffix: 26 digits, the length of the provider's id.UniqueId() suffix
// (a timestamp and a counter), deterministic for s.
func uniqueSuffix(s string) string {
	digits := []byte(hashHex(s)[:26])
	for i, c := range digits {
		digits[i] = '0' + c%10
	}
	return string(digits)
}

var nonName = regexp.MustCompile(`[^a-z0-9-]+`)

// physicalName: the name the "cloud" knows the resource by: an explicit name
// input, else the logical name plus a hash of the URN (deterministic).
func physicalName(name, urn string, inputs resource.PropertyMap) string {
	for _, k := range []string{"name", "bucket", "accountId", "functionName", "roleName", "clusterName", "serviceName"} {
		if v, ok := inputs[resource.PropertyKey(k)]; ok {
			if v.IsSecret() {
				v = v.SecretValue().Element
			}
			if v.IsString() && v.StringValue() != "" {
				return v.StringValue()
			}
		}
	}
	base := strings.Trim(nonName.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if base == "" {
		base = "res"
	}
	return base + "-" + shortHash(urn)
}

func fakeID(pkg, token, name, urn string, inputs resource.PropertyMap) string {
	switch token {
	case cloudFrontOACToken:
		// CloudFront ids: "E" and 13 upper-case letters or digits.
		return "E" + strings.ToUpper(hashHex(urn)[:13])
	case logGroupToken, scheduleToken:
		// The provider's create.Name: the name, else the prefix and a 26-character unique suffix.
		if strInput(inputs, "name") == "" && strInput(inputs, "namePrefix") != "" {
			return strInput(inputs, "namePrefix") + uniqueSuffix(urn)
		}
	}
	return physicalName(name, urn, inputs)
}

// service is the module part of a token: aws:s3/bucket:Bucket -> s3.
func service(token string) string {
	parts := strings.Split(token, ":")
	if len(parts) != 3 {
		return "x"
	}
	mod := parts[1]
	if i := strings.Index(mod, "/"); i >= 0 {
		mod = mod[:i]
	}
	return mod
}

func kindOf(token string) string {
	parts := strings.Split(token, ":")
	if len(parts) != 3 || parts[2] == "" {
		return "resource"
	}
	return strings.ToLower(parts[2][:1]) + parts[2][1:]
}

func strInput(inputs resource.PropertyMap, key string) string {
	if v, ok := inputs[resource.PropertyKey(key)]; ok {
		if v.IsSecret() {
			v = v.SecretValue().Element
		}
		if v.IsString() {
			return v.StringValue()
		}
	}
	return ""
}

// fakeOutputs: inputs over old outputs, plus a plausible, deterministic value for
// every required output that is still missing. Optional outputs stay absent.
func fakeOutputs(pkg, token string, r *Resource, name, id string, inputs, olds resource.PropertyMap) resource.PropertyMap {
	outs := resource.PropertyMap{}
	for k, v := range olds {
		outs[k] = v
	}
	for k, v := range inputs {
		outs[k] = v
	}
	urnish := token + "::" + name
	phys := id
	if phys == "" {
		phys = physicalName(name, urnish, inputs)
	}
	svc := service(token)
	host := strings.ToLower(phys) + "." + svc + "." + fakeDomain
	h := shortHash(urnish)

	// Real shapes first: the generic guesses below only fill what is still missing.
	if pkg == "aws" {
		for k, v := range awsShapes(token, name, phys, urnish, inputs) {
			if cur, ok := outs[k]; !ok || cur.IsNull() {
				outs[k] = v
			}
		}
	}

	copyFrom := map[string]string{"tagsAll": "tags", "effectiveLabels": "labels", "pulumiLabels": "labels",
		"effectiveAnnotations": "annotations"}

	for oname, o := range r.Outputs {
		k := resource.PropertyKey(oname)
		if v, ok := outs[k]; ok && !v.IsNull() {
			continue
		}
		if src, ok := copyFrom[oname]; ok {
			if v, ok := inputs[resource.PropertyKey(src)]; ok {
				outs[k] = v
				continue
			}
		}
		var v resource.PropertyValue
		lname := strings.ToLower(oname)
		kind := ""
		if o.Type != nil {
			kind = o.Type.Kind
		}
		switch kind {
		case KString:
			switch {
			case lname == "arn" || strings.HasSuffix(oname, "Arn"):
				if pkg == "aws" && svc == "s3" {
					v = resource.NewStringProperty("arn:aws:s3:::" + phys)
				} else {
					v = resource.NewStringProperty("arn:aws:" + svc + ":" + fakeAWSRegion + ":" + fakeAWSAccount + ":" + kindOf(token) + "/" + phys)
				}
			case lname == "name" || lname == "bucket" || lname == "accountid":
				v = resource.NewStringProperty(phys)
			case lname == "email":
				v = resource.NewStringProperty(strings.ToLower(phys) + "@" + fakeGCPProject + ".iam.gserviceaccount.com")
			case lname == "member" && pkg == "gcp":
				v = resource.NewStringProperty("serviceAccount:" + strings.ToLower(phys) + "@" + fakeGCPProject + ".iam.gserviceaccount.com")
			case strings.HasSuffix(lname, "domainname") || strings.HasSuffix(lname, "dnsname") || lname == "endpoint":
				v = resource.NewStringProperty(host)
			case lname == "uri" || lname == "url" || strings.HasSuffix(oname, "Url") || strings.HasSuffix(oname, "Uri"):
				v = resource.NewStringProperty("https://" + host)
			case lname == "region":
				if pkg == "gcp" {
					v = resource.NewStringProperty(fakeGCPRegion)
				} else {
					v = resource.NewStringProperty(fakeAWSRegion)
				}
			case lname == "location":
				v = resource.NewStringProperty(fakeGCPRegion)
			case lname == "project":
				v = resource.NewStringProperty(fakeGCPProject)
			case lname == "hostedzoneid":
				v = resource.NewStringProperty("Z" + strings.ToUpper(h) + "STANDIN")
			case lname == "owner" || lname == "ownerid":
				v = resource.NewStringProperty(fakeAWSAccount)
			default:
				if o.Optional {
					continue
				}
				v = resource.NewStringProperty(oname + "-" + h)
			}
		case KNumber:
			if o.Optional {
				continue
			}
			v = resource.NewNumberProperty(1)
		case KBoolean:
			if o.Optional {
				continue
			}
			v = resource.NewBoolProperty(false)
		case KArray:
			if lname == "urls" {
				v = resource.NewArrayProperty([]resource.PropertyValue{resource.NewStringProperty("https://" + host)})
			} else if o.Optional {
				continue
			} else {
				v = resource.NewArrayProperty([]resource.PropertyValue{})
			}
		case KMap:
			if o.Optional {
				continue
			}
			v = resource.NewObjectProperty(resource.PropertyMap{})
		default:
			continue
		}
		outs[k] = v
	}
	return markSecrets(r, outs)
}

// awsShapes: the outputs of aws resources whose real form the generic guesses in
// fakeOutputs get wrong, in the form the provider reports them (planners parse
// some of them: the account out of an ARN, the host out of a URL). phys is the
// resource's id, name its logical name; key names the resource deterministically.
func awsShapes(token, name, phys, key string, inputs resource.PropertyMap) resource.PropertyMap {
	str := resource.NewStringProperty
	region := awsRegionOf(inputs)
	lambdaARN := func(fn string) string {
		if strings.HasPrefix(fn, "arn:") {
			return fn // functionName may be given as an ARN
		}
		return "arn:aws:lambda:" + region + ":" + fakeAWSAccount + ":function:" + fn
	}
	invokeARN := func(arn string) string { return lambdaInvokeARN(region, arn) }
	switch token {
	case lambdaFunctionToken:
		arn := lambdaARN(phys)
		version := "$LATEST"
		if v, ok := known(inputs["publish"]); ok && v.IsBool() && v.BoolValue() {
			version = "1" // CreateFunction with Publish publishes version 1
		}
		outs := resource.PropertyMap{
			"name":                       str(phys),
			"arn":                        str(arn),
			"invokeArn":                  str(invokeARN(arn)),
			"responseStreamingInvokeArn": str("arn:aws:apigateway:" + region + ":lambda:path/2021-11-15/functions/" + arn + "/response-streaming-invocations"),
			"version":                    str(version),
			"qualifiedArn":               str(arn + ":" + version),
			"qualifiedInvokeArn":         str(invokeARN(arn + ":" + version)),
			"lastModified":               str("2026-01-01T00:00:00.000+0000"),
			// Empty unless the code is signed (GetFunction's SigningJobArn, SigningProfileVersionArn).
			"signingJobArn":            str(""),
			"signingProfileVersionArn": str(""),
		}
		if sha, ok := codeSha256(inputs); ok {
			outs["codeSha256"] = str(sha)
		}
		return outs
	case lambdaAliasToken:
		arn := lambdaARN(strInput(inputs, "functionName")) + ":" + phys
		return resource.PropertyMap{"name": str(phys), "arn": str(arn), "invokeArn": str(invokeARN(arn))}
	case lambdaURLToken:
		// A URL id is 32 lower-case letters and digits; the URL ends in a slash.
		id := hashHex(key)[:32]
		fn := lambdaARN(strInput(inputs, "functionName"))
		if q := strInput(inputs, "qualifier"); q != "" {
			fn += ":" + q
		}
		return resource.PropertyMap{
			"urlId":       str(id),
			"functionUrl": str("https://" + id + ".lambda-url." + region + ".on.aws/"),
			"functionArn": str(fn),
		}
	case logGroupToken:
		// No ":*" at the end: the provider removes the suffix the API adds.
		return resource.PropertyMap{"name": str(phys), "arn": str("arn:aws:logs:" + region + ":" + fakeAWSAccount + ":log-group:" + phys)}
	case scheduleToken:
		group := strInput(inputs, "groupName")
		if group == "" {
			group = "default"
		}
		return resource.PropertyMap{
			"name":      str(phys),
			"groupName": str(group),
			"arn":       str("arn:aws:scheduler:" + region + ":" + fakeAWSAccount + ":schedule/" + group + "/" + phys),
		}
	case cloudFrontOACToken:
		return resource.PropertyMap{
			"name": str(physicalName(name, key, inputs)),
			"arn":  str("arn:aws:cloudfront::" + fakeAWSAccount + ":origin-access-control/" + phys),
			// An ETag: the version of the configuration, CloudFront's own opaque id.
			"etag": str("E" + strings.ToUpper(hashHex("etag:" + key)[:13])),
		}
	}
	return nil
}

// awsRegionOf: the resource's `region` input, else the provider's (the fake world's).
func awsRegionOf(inputs resource.PropertyMap) string {
	if r := strInput(inputs, "region"); r != "" {
		return r
	}
	return fakeAWSRegion
}

// lambdaInvokeARN: API Gateway's invoke ARN of a function, alias or version (the provider's invokeARN).
func lambdaInvokeARN(region, arn string) string {
	return "arn:aws:apigateway:" + region + ":lambda:path/2015-03-31/functions/" + arn + "/invocations"
}

// codeSha256: Lambda's CodeSha256 (base64 of a SHA-256) of the function's code
// archive, from the hash the engine sends with it; ok is false when there is none.
func codeSha256(inputs resource.PropertyMap) (string, bool) {
	v, ok := known(inputs["code"])
	if !ok || !v.IsArchive() {
		return "", false
	}
	raw, err := hex.DecodeString(v.ArchiveValue().Hash)
	if err != nil || len(raw) == 0 {
		return "", false
	}
	return base64.StdEncoding.EncodeToString(raw), true
}

// Inputs whose change makes the provider call UpdateFunctionCode
// (needsFunctionCodeUpdate; pulumi's `code` archive is its `filename`) or
// UpdateFunctionConfiguration (needsFunctionConfigUpdate).
var (
	lambdaCodeInputs   = []string{"code", "codeSha256", "sourceCodeHash", "s3Bucket", "s3Key", "s3ObjectVersion", "sourceKmsKeyArn", "imageUri", "architectures"}
	lambdaConfigInputs = []string{
		"description", "handler", "fileSystemConfig", "imageConfig", "loggingConfig", "memorySize", "role", "timeout",
		"kmsKeyArn", "layers", "deadLetterConfig", "durableConfig", "snapStart", "tracingConfig", "vpcConfig", "runtime",
		"environment", "ephemeralStorage", "capacityProviderConfig", "publishTo",
	}
)

// lambdaUpdateOutputs: what an update of a function does to its computed
// outputs (the provider's updateComputedAttributesOnPublish). A code change
// changes codeSha256 and lastModified; with `publish: true`, a code or
// configuration change (or turning publish on) publishes the next version, so
// version, qualifiedArn and qualifiedInvokeArn are unknown in the preview and
// the next integer after it.
func lambdaUpdateOutputs(token string, oldInputs, news, outs resource.PropertyMap, preview bool) {
	if token != lambdaFunctionToken {
		return
	}
	changed := map[string]bool{}
	for _, k := range diffInputs(oldInputs, news, nil, nil).Diffs {
		changed[k] = true
	}
	anyOf := func(keys []string) bool {
		for _, k := range keys {
			if changed[k] {
				return true
			}
		}
		return false
	}
	codeChanged, configChanged := anyOf(lambdaCodeInputs), anyOf(lambdaConfigInputs)
	if codeChanged {
		if preview {
			outs["lastModified"] = unknown()
			if !present(news, "codeSha256") {
				outs["codeSha256"] = unknown()
			}
		} else {
			outs["lastModified"] = resource.NewStringProperty("2026-01-01T00:00:01.000+0000")
			if sha, ok := codeSha256(news); ok {
				outs["codeSha256"] = resource.NewStringProperty(sha)
			}
		}
	}
	publish, ok := known(news["publish"])
	if !ok || !publish.IsBool() || !publish.BoolValue() || !(codeChanged || configChanged || changed["publish"]) {
		return
	}
	if preview {
		for _, k := range []resource.PropertyKey{"version", "qualifiedArn", "qualifiedInvokeArn"} {
			outs[k] = unknown()
		}
		return
	}
	next := 1
	if v, ok := known(outs["version"]); ok && v.IsString() {
		if n, err := strconv.Atoi(v.StringValue()); err == nil {
			next = n + 1
		}
	}
	version := strconv.Itoa(next)
	arn := strInput(outs, "arn")
	outs["version"] = resource.NewStringProperty(version)
	outs["qualifiedArn"] = resource.NewStringProperty(arn + ":" + version)
	outs["qualifiedInvokeArn"] = resource.NewStringProperty(lambdaInvokeARN(awsRegionOf(outs), arn+":"+version))
}
