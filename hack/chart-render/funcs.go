package main

// The Helm and sprig functions the chart may use, with their Helm semantics. Keep the chart to
// this list: a function missing here fails the render with "function not defined".

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"text/template"
)

func helmFuncs(root *template.Template) template.FuncMap {
	return template.FuncMap{
		"include": func(name string, data interface{}) (string, error) {
			var b strings.Builder
			err := root.ExecuteTemplate(&b, name, data)
			return strings.ReplaceAll(b.String(), "<no value>", ""), err
		},
		"toYaml": toYAML,
		"indent": func(spaces int, text string) string {
			pad := strings.Repeat(" ", spaces)
			return pad + strings.ReplaceAll(text, "\n", "\n"+pad)
		},
		"nindent": func(spaces int, text string) string {
			pad := strings.Repeat(" ", spaces)
			return "\n" + pad + strings.ReplaceAll(text, "\n", "\n"+pad)
		},
		"quote": func(values ...interface{}) string {
			quoted := make([]string, 0, len(values))
			for _, v := range values {
				if v != nil {
					quoted = append(quoted, strconv.Quote(toString(v)))
				}
			}
			return strings.Join(quoted, " ")
		},
		"default": func(fallback interface{}, given ...interface{}) interface{} {
			if len(given) == 0 || isEmpty(given[0]) {
				return fallback
			}
			return given[0]
		},
		"required": func(message string, value interface{}) (interface{}, error) {
			if value == nil || value == "" {
				return nil, errors.New(message)
			}
			return value, nil
		},
		"empty": isEmpty,
		"hasKey": func(m map[string]interface{}, key string) bool {
			_, ok := m[key]
			return ok
		},
		"int64":    toInt64,
		"int":      func(v interface{}) int { return int(toInt64(v)) },
		"toString": toString,
		"trunc": func(length int, text string) string {
			if len(text) > length {
				return text[:length]
			}
			return text
		},
		"trimSuffix": func(suffix, text string) string { return strings.TrimSuffix(text, suffix) },
	}
}

// toString prints like sprig's strval: numbers as %v, which is why large numbers need int64 first.
func toString(v interface{}) string {
	switch s := v.(type) {
	case string:
		return s
	case nil:
		return ""
	case error:
		return s.Error()
	}
	return fmt.Sprintf("%v", v)
}

func toInt64(v interface{}) int64 {
	switch n := v.(type) {
	case float64:
		return int64(n)
	case int:
		return int64(n)
	case int64:
		return n
	case string:
		i, _ := strconv.ParseInt(n, 10, 64)
		return i
	case bool:
		if n {
			return 1
		}
	}
	return 0
}

// isEmpty is sprig's notion of empty, which default relies on: nil, false, 0, "" and empty collections.
func isEmpty(v interface{}) bool {
	if v == nil {
		return true
	}
	value := reflect.ValueOf(v)
	switch value.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return value.Len() == 0
	case reflect.Bool:
		return !value.Bool()
	case reflect.Float32, reflect.Float64:
		return value.Float() == 0
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return value.Int() == 0
	case reflect.Interface, reflect.Ptr:
		return value.IsNil()
	}
	return false
}
