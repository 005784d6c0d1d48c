package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseYAMLReadsTheValuesSubset(t *testing.T) {
	text := `# comment
a: 1
b: "x # not a comment"  # a comment
c:
  d: [1, "two", {e: f}]
  g: {}
list:
- name: one
  value: 2.5
-   plain
same-indent:
  - null
  - true
empty:
`
	got, err := parseYAML("t.yaml", text)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]interface{}{
		"a": float64(1),
		"b": "x # not a comment",
		"c": map[string]interface{}{
			"d": []interface{}{float64(1), "two", map[string]interface{}{"e": "f"}},
			"g": map[string]interface{}{},
		},
		"list":        []interface{}{map[string]interface{}{"name": "one", "value": 2.5}, "plain"},
		"same-indent": []interface{}{nil, true},
		"empty":       nil,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}
}

func TestParseYAMLRefusesWhatItDoesNotSupport(t *testing.T) {
	cases := map[string]string{
		"a: &x 1\n":         "anchors",
		"a: |\n  text\n":    "block scalars",
		"a: 1\na: 2\n":      "duplicate key",
		"a:\n\tb: 1\n":      "tabs",
		"a: 1\n---\nb: 2\n": "one YAML document",
		"a: \"open\n":       "unterminated",
	}
	for text, message := range cases {
		if _, err := parseYAML("t.yaml", text); err == nil || !strings.Contains(err.Error(), message) {
			t.Errorf("%q: got %v, want an error mentioning %q", text, err, message)
		}
	}
}

func TestToYAMLReadsBackTheSameValues(t *testing.T) {
	value := map[string]interface{}{
		"z": "plain", "a": []interface{}{map[string]interface{}{"k": "true", "n": float64(268435456)}, "-dash"},
		"empty": "", "nested": map[string]interface{}{"list": []interface{}{}, "colon": "a: b"}, "yes": "yes",
	}
	text, err := toYAML(value)
	if err != nil {
		t.Fatal(err)
	}
	back, err := parseYAML("round-trip", text)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if !reflect.DeepEqual(back, value) {
		t.Fatalf("round trip changed the value:\n%s\ngot %#v", text, back)
	}
	if !strings.Contains(text, "\"n\": 268435456") {
		t.Fatalf("large integers must stay integers:\n%s", text)
	}
}

func TestMergeValuesMergesMapsAndDeletesOnNull(t *testing.T) {
	base := map[string]interface{}{"a": map[string]interface{}{"b": 1.0, "c": 2.0}, "d": 3.0}
	override := map[string]interface{}{"a": map[string]interface{}{"c": 5.0}, "d": nil}
	got := mergeValues(base, override)
	want := map[string]interface{}{"a": map[string]interface{}{"b": 1.0, "c": 5.0}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v", got)
	}
}
