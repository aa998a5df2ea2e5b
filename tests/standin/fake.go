package main

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
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

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])[:8]
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
