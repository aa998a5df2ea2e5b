package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Schema is the compact schema written by extract-schema.mjs (see the comment at
// its top for the format).
type Schema struct {
	Format    int                  `json:"format"`
	Package   string               `json:"package"`
	Version   string               `json:"version"`
	Source    string               `json:"source"`
	Config    map[string]*Property `json:"config"`
	Resources map[string]*Resource `json:"resources"`
	Types     map[string]*Object   `json:"types"`
	Enums     map[string]*Enum     `json:"enums"`
}

// Resource is one custom resource: its input and output properties.
type Resource struct {
	Inputs           map[string]*Property `json:"inputs"`
	Outputs          map[string]*Output   `json:"outputs"`
	Deprecated       string               `json:"deprecated,omitempty"`
	ReplaceOnChanges []string             `json:"replaceOnChanges,omitempty"`
}

// Property is an input property (of a resource, an object type or the config).
type Property struct {
	Type       *TypeDesc `json:"type"`
	Required   bool      `json:"required,omitempty"`
	Secret     bool      `json:"secret,omitempty"`
	Deprecated string    `json:"deprecated,omitempty"`
}

// Output is an output property of a resource.
type Output struct {
	Type     *TypeDesc `json:"type"`
	Optional bool      `json:"optional,omitempty"`
	Secret   bool      `json:"secret,omitempty"`
}

// Object is a named input object type.
type Object struct {
	Properties map[string]*Property `json:"properties"`
}

// Enum lists the values of an enum type.
type Enum struct {
	Values []any `json:"values"`
}

// Kinds of TypeDesc.
const (
	KString   = "string"
	KNumber   = "number"
	KBoolean  = "boolean"
	KAny      = "any"
	KAsset    = "asset"
	KArchive  = "archive"
	KResource = "resource"
	KObject   = "object" // outputs only: an object of unspecified shape
	KArray    = "array"
	KMap      = "map"
	KRef      = "ref"
	KEnum     = "enum"
	KOneOf    = "oneOf"
	KConst    = "const"
	KInline   = "inline" // {"object": {...}}: an inline object literal type
)

// TypeDesc is a type descriptor: a primitive name or one of
// {"array": T}, {"map": T}, {"ref": name}, {"enum": name}, {"oneOf": [T...]},
// {"const": v}, {"object": {name: Property}}.
type TypeDesc struct {
	Kind   string
	Elem   *TypeDesc            // array, map
	Name   string               // ref, enum
	OneOf  []*TypeDesc          // oneOf
	Const  any                  // const
	Inline map[string]*Property // inline
}

func (t *TypeDesc) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		switch s {
		case KString, KNumber, KBoolean, KAny, KAsset, KArchive, KResource, KObject:
			t.Kind = s
			return nil
		}
		return fmt.Errorf("unknown primitive type %q", s)
	}
	var o struct {
		Array  *TypeDesc            `json:"array"`
		Map    *TypeDesc            `json:"map"`
		Ref    string               `json:"ref"`
		Enum   string               `json:"enum"`
		OneOf  []*TypeDesc          `json:"oneOf"`
		Const  *json.RawMessage     `json:"const"`
		Object map[string]*Property `json:"object"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	switch {
	case o.Array != nil:
		t.Kind, t.Elem = KArray, o.Array
	case o.Map != nil:
		t.Kind, t.Elem = KMap, o.Map
	case o.Ref != "":
		t.Kind, t.Name = KRef, o.Ref
	case o.Enum != "":
		t.Kind, t.Name = KEnum, o.Enum
	case o.OneOf != nil:
		t.Kind, t.OneOf = KOneOf, o.OneOf
	case o.Const != nil:
		t.Kind = KConst
		if err := json.Unmarshal(*o.Const, &t.Const); err != nil {
			return err
		}
	case o.Object != nil:
		t.Kind, t.Inline = KInline, o.Object
	default:
		return fmt.Errorf("unrecognised type descriptor %s", string(b))
	}
	return nil
}

// String renders a descriptor for messages: string, array<string>, map<number>,
// s3.BucketCorsRule, enum s3.CannedAcl, string | s3.PolicyDocument.
func (t *TypeDesc) String() string {
	if t == nil {
		return "any"
	}
	switch t.Kind {
	case KArray:
		return "array<" + t.Elem.String() + ">"
	case KMap:
		return "map<" + t.Elem.String() + ">"
	case KRef:
		return t.Name
	case KEnum:
		return "enum " + t.Name
	case KOneOf:
		parts := make([]string, len(t.OneOf))
		for i, m := range t.OneOf {
			parts[i] = m.String()
		}
		return strings.Join(parts, " | ")
	case KConst:
		b, _ := json.Marshal(t.Const)
		return string(b)
	case KInline:
		return "object"
	}
	return t.Kind
}

// LoadSchema reads and checks a schema file.
func LoadSchema(path string) (*Schema, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Schema
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if s.Package == "" || s.Resources == nil {
		return nil, fmt.Errorf("%s: not a stand-in schema (no package or resources)", path)
	}
	if s.Types == nil {
		s.Types = map[string]*Object{}
	}
	if s.Enums == nil {
		s.Enums = map[string]*Enum{}
	}
	if err := s.checkRefs(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &s, nil
}

// checkRefs makes sure every ref/enum names a known type (a broken extraction
// must not silently turn into "anything goes").
func (s *Schema) checkRefs() error {
	var missing []string
	var walk func(t *TypeDesc, where string)
	walkProps := func(props map[string]*Property, where string) {
		for n, p := range props {
			if p == nil || p.Type == nil {
				missing = append(missing, where+"."+n+" (no type)")
				continue
			}
			walk(p.Type, where+"."+n)
		}
	}
	walk = func(t *TypeDesc, where string) {
		switch t.Kind {
		case KArray, KMap:
			walk(t.Elem, where)
		case KOneOf:
			for _, m := range t.OneOf {
				walk(m, where)
			}
		case KRef:
			if s.Types[t.Name] == nil {
				missing = append(missing, where+" -> type "+t.Name)
			}
		case KEnum:
			if s.Enums[t.Name] == nil {
				missing = append(missing, where+" -> enum "+t.Name)
			}
		case KInline:
			walkProps(t.Inline, where)
		}
	}
	for tok, r := range s.Resources {
		walkProps(r.Inputs, tok)
	}
	for n, o := range s.Types {
		walkProps(o.Properties, n)
	}
	walkProps(s.Config, "config")
	if len(missing) > 0 {
		sort.Strings(missing)
		if len(missing) > 10 {
			missing = append(missing[:10], fmt.Sprintf("... and %d more", len(missing)-10))
		}
		return fmt.Errorf("dangling type references: %s", strings.Join(missing, "; "))
	}
	return nil
}
