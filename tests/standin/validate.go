package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Failure is one problem with a resource's inputs: Path is a Pulumi property path
// (`origins[0].domainName`, `tags["a b"]`), Reason says what is wrong.
type Failure struct {
	Path   string `json:"property"`
	Reason string `json:"reason"`
}

// Validator checks input property maps against a Schema.
//
// Semantics (modelled on the Terraform bridge, which checks inputs in Check):
//   - a property the schema does not know is a failure (with a "did you mean");
//   - a required property that is absent or null is a failure; an unknown
//     (computed) value counts as present;
//   - unknowns, unknown output values, resource references for string-ish
//     properties and nulls of optional properties are accepted; secrets and known
//     output values are checked by their inner value;
//   - scalars: the bridge coerces a number or bool to a string property, a numeric
//     string to a number property and "true"/"false" to a boolean property. Those
//     coercions are accepted (and counted in Coercions) unless Strict is set;
//     anything else (an object for a string, "abc" for a number, a string for an
//     array, ...) is a failure;
//   - enums are closed: a value outside the listed values is a failure, and so is
//     a string outside the value set of a property the schema types as a plain
//     string (valuesets.go);
//   - number ranges, name patterns and checks across properties the provider
//     runs at Check (rules.go);
//   - keys starting with "__" (engine/bridge metadata) are ignored at the top level
//     and in maps.
type Validator struct {
	Schema *Schema
	Strict bool
}

// Result of validating one input map.
type Result struct {
	Failures  []Failure
	Coercions []Failure // accepted only because the bridge would coerce them
}

// UnknownTokenError is returned for a resource type token that is not in the schema.
type UnknownTokenError struct {
	Token   string
	Package string
	Version string
	Suggest string
}

func (e *UnknownTokenError) Error() string {
	msg := fmt.Sprintf("stand-in %s %s: unknown resource type %q: it is not in the %s provider schema",
		e.Package, e.Version, e.Token, e.Package)
	if e.Suggest != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggest)
	}
	return msg
}

// CheckResource validates the inputs of a resource of the given type token.
func (v *Validator) CheckResource(token string, inputs resource.PropertyMap) (*Result, error) {
	r, ok := v.Schema.Resources[token]
	if !ok {
		keys := make([]string, 0, len(v.Schema.Resources))
		for k := range v.Schema.Resources {
			keys = append(keys, k)
		}
		return nil, &UnknownTokenError{Token: token, Package: v.Schema.Package, Version: v.Schema.Version,
			Suggest: suggest(token, keys)}
	}
	res := &Result{}
	v.checkProps(res, r.Inputs, inputs, nil, token, true)
	checkValueSets(res, v.Schema, token, inputs)
	checkRules(res, token, inputs)
	sortFailures(res.Failures)
	sortFailures(res.Coercions)
	return res, nil
}

// CheckConfig validates provider configuration. Only known keys are type-checked
// (the engine passes extra keys such as `version`), as the bridge does.
func (v *Validator) CheckConfig(inputs resource.PropertyMap) *Result {
	res := &Result{}
	known := resource.PropertyMap{}
	for k, val := range inputs {
		if _, ok := v.Schema.Config[string(k)]; ok {
			known[k] = val
		}
	}
	props := map[string]*Property{}
	for k, p := range v.Schema.Config {
		cp := *p
		cp.Required = false
		props[k] = &cp
	}
	v.checkProps(res, props, known, nil, "provider configuration", true)
	sortFailures(res.Failures)
	return res
}

func sortFailures(f []Failure) {
	sort.SliceStable(f, func(i, j int) bool { return f[i].Path < f[j].Path })
}

func child(path resource.PropertyPath, elem any) resource.PropertyPath {
	p := make(resource.PropertyPath, len(path), len(path)+1)
	copy(p, path)
	return append(p, elem)
}

func (v *Validator) checkProps(res *Result, props map[string]*Property, m resource.PropertyMap,
	path resource.PropertyPath, what string, top bool,
) {
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	for _, k := range m.StableKeys() {
		key := string(k)
		if top && strings.HasPrefix(key, "__") {
			continue
		}
		p, ok := props[key]
		if !ok {
			reason := fmt.Sprintf("unknown property %q: %s has no input property of that name", key, what)
			if s := suggest(key, names); s != "" {
				reason += fmt.Sprintf(" (did you mean %q?)", s)
			}
			res.Failures = append(res.Failures, Failure{Path: child(path, key).String(), Reason: reason})
			continue
		}
		v.checkValue(res, p.Type, m[k], child(path, key))
	}
	sort.Strings(names)
	for _, n := range names {
		if !props[n].Required {
			continue
		}
		val, ok := m[resource.PropertyKey(n)]
		if !ok || val.IsNull() || (val.IsSecret() && val.SecretValue().Element.IsNull()) {
			res.Failures = append(res.Failures, Failure{
				Path:   child(path, n).String(),
				Reason: fmt.Sprintf("missing required property %q (of %s; type %s)", n, what, props[n].Type),
			})
		}
	}
}

// checkValue validates one value against a descriptor.
func (v *Validator) checkValue(res *Result, t *TypeDesc, val resource.PropertyValue, path resource.PropertyPath) {
	switch {
	case val.IsComputed(), val.IsNull():
		return
	case val.IsOutput():
		o := val.OutputValue()
		if o.Known {
			v.checkValue(res, t, o.Element, path)
		}
		return
	case val.IsSecret():
		v.checkValue(res, t, val.SecretValue().Element, path)
		return
	}
	if t == nil {
		return
	}
	fail := func(format string, args ...any) {
		res.Failures = append(res.Failures, Failure{Path: path.String(), Reason: fmt.Sprintf(format, args...)})
	}
	mismatch := func() {
		fail("expected %s, got %s of type %s", t, preview(val), typeName(val))
	}
	coerce := func(ok bool) {
		if !ok {
			mismatch()
			return
		}
		c := Failure{Path: path.String(), Reason: fmt.Sprintf("%s given for a %s property (the bridge would coerce it)", preview(val), t)}
		if v.Strict {
			res.Failures = append(res.Failures, c)
		} else {
			res.Coercions = append(res.Coercions, c)
		}
	}

	switch t.Kind {
	case KAny:
	case KString:
		switch {
		case val.IsString(), val.IsResourceReference():
		case val.IsNumber(), val.IsBool():
			coerce(true)
		default:
			mismatch()
		}
	case KNumber:
		switch {
		case val.IsNumber():
		case val.IsString():
			_, err := strconv.ParseFloat(strings.TrimSpace(val.StringValue()), 64)
			coerce(err == nil)
		default:
			mismatch()
		}
	case KBoolean:
		switch {
		case val.IsBool():
		case val.IsString():
			s := val.StringValue()
			coerce(s == "true" || s == "false")
		default:
			mismatch()
		}
	case KResource:
		if !val.IsString() && !val.IsResourceReference() {
			mismatch()
		}
	case KAsset:
		if !val.IsAsset() {
			mismatch()
		}
	case KArchive:
		if !val.IsArchive() {
			mismatch()
		}
	case KObject:
		if !val.IsObject() {
			mismatch()
		}
	case KArray:
		if !val.IsArray() {
			mismatch()
			return
		}
		for i, e := range val.ArrayValue() {
			if e.IsNull() {
				res.Failures = append(res.Failures, Failure{Path: child(path, i).String(),
					Reason: fmt.Sprintf("null element in a list of %s", t.Elem)})
				continue
			}
			v.checkValue(res, t.Elem, e, child(path, i))
		}
	case KMap:
		if !val.IsObject() {
			mismatch()
			return
		}
		m := val.ObjectValue()
		for _, k := range m.StableKeys() {
			if strings.HasPrefix(string(k), "__") {
				continue
			}
			v.checkValue(res, t.Elem, m[k], child(path, string(k)))
		}
	case KRef:
		obj := v.Schema.Types[t.Name]
		if !val.IsObject() {
			mismatch()
			return
		}
		if obj == nil {
			return
		}
		v.checkProps(res, obj.Properties, val.ObjectValue(), path, t.Name, false)
	case KInline:
		if !val.IsObject() {
			mismatch()
			return
		}
		v.checkProps(res, t.Inline, val.ObjectValue(), path, "object", false)
	case KEnum:
		e := v.Schema.Enums[t.Name]
		if e == nil {
			return
		}
		var got any
		switch {
		case val.IsString():
			got = val.StringValue()
		case val.IsNumber():
			got = val.NumberValue()
		case val.IsBool():
			got = val.BoolValue()
		default:
			mismatch()
			return
		}
		for _, want := range e.Values {
			if fmt.Sprint(want) == fmt.Sprint(got) {
				return
			}
		}
		vals := make([]string, len(e.Values))
		for i, w := range e.Values {
			b, _ := json.Marshal(w)
			vals[i] = string(b)
		}
		fail("%s is not a value of enum %s; valid: %s", preview(val), t.Name, strings.Join(vals, ", "))
	case KConst:
		if fmt.Sprint(val.Mappable()) != fmt.Sprint(t.Const) {
			mismatch()
		}
	case KOneOf:
		v.checkOneOf(res, t, val, path)
	}
}

// checkOneOf accepts a value that satisfies any member. Otherwise, when exactly
// one member has the value's shape (object vs array vs scalar), that member's
// failures are reported (they are the most useful); else a summary.
func (v *Validator) checkOneOf(res *Result, t *TypeDesc, val resource.PropertyValue, path resource.PropertyPath) {
	var bestWithShape []*Result
	for _, m := range t.OneOf {
		sub := &Result{}
		v.checkValue(sub, m, val, path)
		if len(sub.Failures) == 0 {
			res.Coercions = append(res.Coercions, sub.Coercions...)
			return
		}
		if sameShape(m, val, v.Schema) {
			bestWithShape = append(bestWithShape, sub)
		}
	}
	if len(bestWithShape) == 1 {
		res.Failures = append(res.Failures, bestWithShape[0].Failures...)
		return
	}
	res.Failures = append(res.Failures, Failure{Path: path.String(),
		Reason: fmt.Sprintf("expected %s, got %s of type %s", t, preview(val), typeName(val))})
}

func sameShape(t *TypeDesc, val resource.PropertyValue, s *Schema) bool {
	switch t.Kind {
	case KRef, KInline, KMap, KObject:
		return val.IsObject()
	case KArray:
		return val.IsArray()
	case KOneOf:
		for _, m := range t.OneOf {
			if sameShape(m, val, s) {
				return true
			}
		}
		return false
	default:
		return !val.IsObject() && !val.IsArray()
	}
}

func typeName(v resource.PropertyValue) string {
	switch {
	case v.IsArray():
		return "array"
	case v.IsBool():
		return "boolean"
	case v.IsResourceReference():
		return "resource reference"
	}
	return v.TypeString()
}

// preview renders a value for a message, shortened.
func preview(v resource.PropertyValue) string {
	var s string
	switch {
	case v.IsString():
		s = strconv.Quote(v.StringValue())
	case v.IsResourceReference():
		s = string(v.ResourceReferenceValue().URN)
	case v.IsAsset(), v.IsArchive():
		s = typeName(v)
	default:
		b, err := json.Marshal(v.Mappable())
		if err != nil {
			s = v.String()
		} else {
			s = string(b)
		}
	}
	const max = 60
	if len(s) > max {
		s = s[:max-3] + "..."
	}
	return s
}

// suggest finds the closest candidate: same name ignoring case/underscores/dashes,
// else the smallest edit distance within a third of the length.
func suggest(name string, candidates []string) string {
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s))
	}
	n := norm(name)
	best, bestD := "", 1<<30
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		if norm(c) == n {
			return c
		}
		d := editDistance(n, norm(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(2, len(name)/3) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		if a == b {
			return 0
		}
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
