package main

// Rules of the aws provider that no schema carries, beyond the value sets
// (valuesets.go) and the ECS service (ecsservice.go): number ranges and name
// patterns the Terraform AWS provider validates at Check (its `ValidateFunc`s)
// or the API refuses at create, checks across properties (`CustomizeDiff`,
// `ExactlyOneOf`), and the properties whose change replaces a resource
// (`ForceNew`). pulumi-aws runs that provider (hashicorp/terraform-provider-aws),
// so a child that breaks one of these fails the real preview or the real `up`;
// the extracted schema's `replaceOnChanges` is empty for all of them.

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// NumberRule: the numbers one property takes, as the provider's
// `validation.IntBetween`/`IntAtLeast`/`IntInSlice` on a `TypeInt` (so a
// fraction is refused too).
type NumberRule struct {
	Token string
	Path  string // as ValueSet.Path
	Min   float64
	Max   float64
	// OneOf, when set, lists the only values taken (Min and Max are then unused).
	OneOf  []float64
	Source string
}

// PatternRule: the shape of one string property (`validation.StringMatch`,
// `StringLenBetween`, or the API model's pattern and length).
type PatternRule struct {
	Token   string
	Path    string
	Pattern *regexp.Regexp // the whole value must match
	MaxLen  int
	// NotAllDigits: the API's `(?!^[0-9]+$)` (a name that could be read as a version number).
	NotAllDigits bool
	Says         string // what the pattern allows, in words
	Source       string
}

// logRetentionDays: the values CloudWatch Logs takes for a retention (0 is the
// provider's "never expire").
var logRetentionDays = []float64{0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

var numberRules = []NumberRule{
	// 32768: the provider follows the API model since hashicorp/terraform-provider-aws#46065
	// (above 10240 MB only Lambda Managed Instances run; launchpad's own planner keeps 10240).
	{lambdaFunctionToken, "memorySize", 128, 32768, nil, lambdaFunctionSource},
	{lambdaFunctionToken, "timeout", 1, 900, nil, lambdaFunctionSource},
	{lambdaFunctionToken, "ephemeralStorage.size", 512, 10240, nil, lambdaFunctionSource},
	// -1 is the provider's "no reservation" (its default).
	{lambdaFunctionToken, "reservedConcurrentExecutions", -1, math.Inf(1), nil, lambdaFunctionSource},
	{lambdaURLToken, "cors.maxAge", 0, 86400, nil, lambdaCorsDoc},
	{scheduleToken, "flexibleTimeWindow.maximumWindowInMinutes", 1, 1440, nil, scheduleSource},
	{scheduleToken, "target.retryPolicy.maximumRetryAttempts", 0, 185, nil, scheduleSource},
	{scheduleToken, "target.retryPolicy.maximumEventAgeInSeconds", 60, 86400, nil, scheduleSource},
	{logGroupToken, "retentionInDays", 0, 0, logRetentionDays, logsRetentionDoc},
}

var (
	lambdaNamePattern   = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
	scheduleNamePattern = regexp.MustCompile(`^[0-9A-Za-z_.-]+$`)
	logGroupNamePattern = regexp.MustCompile(`^[.\-_/#A-Za-z0-9]+$`)
	versionPattern      = regexp.MustCompile(`^(\$LATEST|[0-9]+)$`)
	allDigits           = regexp.MustCompile(`^[0-9]+$`)
	// CloudFront's path pattern characters; `*` and `?` are its wildcards.
	cloudFrontPathPattern = regexp.MustCompile(`^[A-Za-z0-9_\-.*?$/~"'@:+&]+$`)
)

var patternRules = []PatternRule{
	{lambdaFunctionToken, "name", lambdaNamePattern, 64, false, "letters, digits, - and _", lambdaCreateDoc},
	{lambdaFunctionToken, "loggingConfig.logGroup", logGroupNamePattern, 512, false, "letters, digits and . - _ / #", lambdaFunctionSource},
	{lambdaAliasToken, "name", lambdaNamePattern, 128, true, "letters, digits, - and _, not only digits", lambdaAliasDoc},
	{lambdaAliasToken, "functionVersion", versionPattern, 1024, false, "$LATEST or a version number", lambdaAliasDoc},
	{lambdaURLToken, "qualifier", lambdaNamePattern, 128, true, "an alias name (letters, digits, - and _), not a version number", lambdaURLDoc},
	{lambdaPermissionToken, "statementId", lambdaNamePattern, 100, false, "letters, digits, - and _", lambdaPermissionSource},
	{scheduleToken, "name", scheduleNamePattern, 64, false, "letters, digits and . - _", scheduleSource},
	{scheduleToken, "namePrefix", scheduleNamePattern, 64 - 26, false, "letters, digits and . - _ (26 characters are added)", scheduleSource},
	{logGroupToken, "name", logGroupNamePattern, 512, false, "letters, digits and . - _ / #", logsCreateGroupDoc},
	{tokenDistribution, "orderedCacheBehaviors[*].pathPattern", cloudFrontPathPattern, 255, false,
		`A-Z, a-z, 0-9 and _ - . * ? $ / ~ " ' @ : + & (no %-escapes)`, cloudFrontPathPatternDoc},
}

// forceNew: the properties whose change replaces the resource (`ForceNew` in the
// provider). "*" means every input (the provider has no Update for it).
var forceNew = map[string][]string{
	lambdaFunctionToken:   {"name", "packageType", "tenancyConfig"},
	lambdaAliasToken:      {"name", "functionName"},
	lambdaURLToken:        {"functionName", "qualifier"},
	lambdaPermissionToken: {"*"},
	scheduleToken:         {"name", "namePrefix", "groupName"},
	logGroupToken:         {"name", "namePrefix"},
}

// forceNewSources: where each forceNew entry is stated (the README cites them).
var forceNewSources = map[string]string{
	lambdaFunctionToken:   lambdaFunctionSource,
	lambdaAliasToken:      lambdaAliasSource,
	lambdaURLToken:        lambdaURLSource,
	lambdaPermissionToken: lambdaPermissionSource,
	scheduleToken:         scheduleSource,
	logGroupToken:         logGroupSource,
}

// replacedBy: the properties of `token` whose change replaces it: the schema's
// replaceOnChanges plus the provider's ForceNew. The bool is true for "every
// input".
func replacedBy(token string, r *Resource) (map[string]bool, bool) {
	keys := map[string]bool{}
	for _, k := range r.ReplaceOnChanges {
		keys[k] = true
	}
	for _, k := range forceNew[token] {
		if k == "*" {
			return keys, true
		}
		keys[k] = true
	}
	return keys, false
}

// checkRules applies the number, pattern and cross-property rules of `token`.
func checkRules(res *Result, token string, inputs resource.PropertyMap) {
	for _, rule := range numberRules {
		if rule.Token != token {
			continue
		}
		walkRule(res, rule.Path, inputs, func(v resource.PropertyValue, path, in string) {
			if !v.IsNumber() {
				return // the type check's business
			}
			if reason := rule.refuses(v.NumberValue()); reason != "" {
				res.Failures = append(res.Failures, Failure{Path: path, Reason: reason + inJSON(in) + " (" + rule.Source + ")"})
			}
		})
	}
	for _, rule := range patternRules {
		if rule.Token != token {
			continue
		}
		walkRule(res, rule.Path, inputs, func(v resource.PropertyValue, path, in string) {
			if !v.IsString() {
				return
			}
			s := v.StringValue()
			if len(s) == 0 || len(s) > rule.MaxLen || !rule.Pattern.MatchString(s) || (rule.NotAllDigits && allDigits.MatchString(s)) {
				res.Failures = append(res.Failures, Failure{Path: path, Reason: fmt.Sprintf(
					"%s is not a valid value: 1 to %d characters of %s (%s)", strconv.Quote(s), rule.MaxLen, rule.Says, rule.Source)})
			}
		})
	}
	switch token {
	case lambdaFunctionToken:
		checkFunctionPackage(res, inputs)
	case scheduleToken:
		checkScheduleWindow(res, inputs)
	}
}

func (rule NumberRule) refuses(n float64) string {
	if n != math.Trunc(n) {
		return fmt.Sprintf("%v is not a whole number (the provider types it as an integer)", n)
	}
	if rule.OneOf != nil {
		for _, w := range rule.OneOf {
			if n == w {
				return ""
			}
		}
		vals := make([]string, len(rule.OneOf))
		for i, w := range rule.OneOf {
			vals[i] = strconv.FormatFloat(w, 'f', -1, 64)
		}
		return fmt.Sprintf("%v is not a value the service takes; valid: %s", n, strings.Join(vals, ", "))
	}
	if n < rule.Min || n > rule.Max {
		if math.IsInf(rule.Max, 1) {
			return fmt.Sprintf("%v is below the smallest value taken, %v", n, rule.Min)
		}
		return fmt.Sprintf("%v is out of range; valid: %v to %v", n, rule.Min, rule.Max)
	}
	return ""
}

// present: the input is set (an unknown counts as set, as in the provider's
// plan, where it might become anything).
func present(inputs resource.PropertyMap, key string) bool {
	v, ok := inputs[resource.PropertyKey(key)]
	if !ok || v.IsNull() {
		return false
	}
	if kv, isKnown := known(v); isKnown && kv.IsNull() {
		return false
	}
	return true
}

// checkFunctionPackage: how a function's code is given.
//   - ExactlyOneOf(filename, image_uri, s3_bucket): pulumi's `code` archive is the
//     provider's `filename`;
//   - checkHandlerRuntimeForZipFunction (CustomizeDiff): a Zip function (the
//     default package type) needs `handler` and `runtime`;
//   - the API: an Image function's code is `imageUri`, a Zip function's is an
//     archive ("You can't change the deployment package type",
//     https://docs.aws.amazon.com/lambda/latest/dg/images-create.html);
//   - `architectures` lists exactly one value (TF MaxItems 1, API min 1 and max 1;
//     an empty list would silently mean the provider's default, x86_64).
func checkFunctionPackage(res *Result, inputs resource.PropertyMap) {
	fail := func(path, reason string) { res.Failures = append(res.Failures, Failure{Path: path, Reason: reason}) }
	var given []string
	for _, k := range []string{"code", "imageUri", "s3Bucket"} {
		if present(inputs, k) {
			given = append(given, k)
		}
	}
	switch {
	case len(given) == 0:
		fail("code", "one of code, imageUri, s3Bucket must be set: the function has no code (ExactlyOneOf, "+lambdaFunctionSource+")")
	case len(given) > 1:
		fail(given[1], "only one of code, imageUri, s3Bucket can be set, but "+strings.Join(given, ", ")+" are (ExactlyOneOf, "+lambdaFunctionSource+")")
	}
	pkg := "Zip" // the provider's default
	if v, ok := known(inputs["packageType"]); !ok {
		return // decided once known
	} else if v.IsString() {
		pkg = v.StringValue()
	}
	switch pkg {
	case "Zip":
		if !present(inputs, "handler") || !present(inputs, "runtime") {
			fail("handler", "handler and runtime must be set when PackageType is Zip (the provider's CustomizeDiff, "+lambdaFunctionSource+")")
		}
		if present(inputs, "imageUri") {
			fail("imageUri", "a Zip function takes code, not imageUri; set packageType \"Image\" for a container image ("+lambdaCreateDoc+")")
		}
	case "Image":
		if !present(inputs, "imageUri") {
			fail("imageUri", "an Image function needs imageUri, the ECR image to run ("+lambdaCreateDoc+")")
		}
		for _, k := range []string{"code", "s3Bucket"} {
			if present(inputs, k) {
				fail(k, "an Image function takes imageUri, not "+k+" ("+lambdaCreateDoc+")")
			}
		}
	}
	if v, ok := known(inputs["architectures"]); ok && v.IsArray() && len(v.ArrayValue()) != 1 {
		fail("architectures", fmt.Sprintf("lists %d values; a function has exactly one architecture (the provider's MaxItems 1, the API's Architectures: 1 item; %s)",
			len(v.ArrayValue()), lambdaCreateDoc))
	}
}

// checkScheduleWindow: a FLEXIBLE window needs its length; with OFF the schedule
// runs exactly on time, so a length is refused (launchpad sends it only with
// FLEXIBLE, as the API page describes it).
func checkScheduleWindow(res *Result, inputs resource.PropertyMap) {
	w, ok := known(inputs["flexibleTimeWindow"])
	if !ok || !w.IsObject() {
		return
	}
	mode, ok := known(w.ObjectValue()["mode"])
	if !ok || !mode.IsString() {
		return
	}
	has := present(w.ObjectValue(), "maximumWindowInMinutes")
	switch {
	case mode.StringValue() == "FLEXIBLE" && !has:
		res.Failures = append(res.Failures, Failure{Path: "flexibleTimeWindow.maximumWindowInMinutes",
			Reason: "a FLEXIBLE window needs maximumWindowInMinutes (1 to 1440; " + schedulerWindowDoc + ")"})
	case mode.StringValue() == "OFF" && has:
		res.Failures = append(res.Failures, Failure{Path: "flexibleTimeWindow.maximumWindowInMinutes",
			Reason: "only a FLEXIBLE window takes maximumWindowInMinutes; mode is \"OFF\" (" + schedulerWindowDoc + ")"})
	}
}
