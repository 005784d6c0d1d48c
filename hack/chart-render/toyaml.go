package main

// toYaml's encoder: block style, keys sorted (as Helm's encoder sorts them), two-space indentation,
// sequences indented under their key, strings quoted whenever a plain scalar would read back as
// something else.

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

func toYAML(value interface{}) (string, error) {
	var b strings.Builder
	if err := encodeValue(&b, value, 0); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

func encodeValue(b *strings.Builder, value interface{}, indent int) error {
	switch v := value.(type) {
	case map[string]interface{}:
		if len(v) == 0 {
			b.WriteString("{}\n")
			return nil
		}
		return encodeMap(b, v, indent)
	case []interface{}:
		if len(v) == 0 {
			b.WriteString("[]\n")
			return nil
		}
		return encodeList(b, v, indent)
	default:
		text, err := encodeScalar(v)
		if err != nil {
			return err
		}
		b.WriteString(text)
		b.WriteString("\n")
		return nil
	}
}

func encodeMap(b *strings.Builder, m map[string]interface{}, indent int) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pad := strings.Repeat(" ", indent)
	for _, k := range keys {
		key, _ := encodeScalar(k)
		b.WriteString(pad + key + ":")
		if err := encodeChild(b, m[k], indent); err != nil {
			return err
		}
	}
	return nil
}

func encodeList(b *strings.Builder, list []interface{}, indent int) error {
	pad := strings.Repeat(" ", indent)
	for _, item := range list {
		b.WriteString(pad + "-")
		if m, ok := item.(map[string]interface{}); ok && len(m) > 0 {
			// The first key shares the dash's line; the rest line up under it.
			var inner strings.Builder
			if err := encodeMap(&inner, m, indent+2); err != nil {
				return err
			}
			b.WriteString(" " + strings.TrimPrefix(inner.String(), strings.Repeat(" ", indent+2)))
			continue
		}
		if err := encodeChild(b, item, indent); err != nil {
			return err
		}
	}
	return nil
}

// encodeChild writes what follows "key:" or "-": a scalar or empty collection on the same line, else a nested block.
func encodeChild(b *strings.Builder, value interface{}, indent int) error {
	switch v := value.(type) {
	case map[string]interface{}:
		if len(v) > 0 {
			b.WriteString("\n")
			return encodeMap(b, v, indent+2)
		}
	case []interface{}:
		if len(v) > 0 {
			b.WriteString("\n")
			return encodeList(b, v, indent+2)
		}
	}
	b.WriteString(" ")
	return encodeValue(b, value, indent)
}

func encodeScalar(value interface{}) (string, error) {
	switch v := value.(type) {
	case nil:
		return "null", nil
	case bool:
		return strconv.FormatBool(v), nil
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return strconv.FormatInt(int64(v), 10), nil
		}
		return strconv.FormatFloat(v, 'g', -1, 64), nil
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case string:
		if needsQuotes(v) {
			return strconv.Quote(v), nil
		}
		return v, nil
	}
	return "", fmt.Errorf("toYaml cannot encode a %T", value)
}

func needsQuotes(s string) bool {
	if s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s, "\n\r\t\"\\") {
		return true
	}
	if resolved, err := scalar(s); err != nil || resolved != s {
		return true // would read back as a number, bool or null, or is not a valid plain scalar
	}
	if strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'%@`") || strings.Contains(s, ": ") || strings.Contains(s, " #") ||
		strings.HasSuffix(s, ":") {
		return true
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	// YAML 1.1 readers (still common) take these as booleans.
	switch strings.ToLower(s) {
	case "y", "yes", "n", "no", "on", "off":
		return true
	}
	return false
}
