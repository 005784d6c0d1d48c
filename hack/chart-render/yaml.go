package main

// A reader for the subset of YAML that values files and Chart.yaml use: block mappings and
// sequences, flow collections ([a, b], {k: v}), quoted and plain scalars, comments. Anything
// else (anchors, tags, block scalars, multiple documents) is refused with its line number rather
// than misread. Numbers become float64 and integers stay integral floats, as Helm's values do
// (Helm converts YAML to JSON before templates see it).

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

type yamlLine struct {
	number  int
	indent  int
	content string
}

type yamlParser struct {
	name  string
	lines []yamlLine
	pos   int
}

// parseYAML reads one document; an empty document is an empty map.
func parseYAML(name, text string) (map[string]interface{}, error) {
	p := &yamlParser{name: name}
	for i, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.HasPrefix(raw, "%") || strings.TrimSpace(raw) == "---" && i == 0 {
			continue
		}
		trimmedLeft := strings.TrimLeft(raw, " ")
		if strings.HasPrefix(trimmedLeft, "\t") {
			return nil, fmt.Errorf("%s:%d: tabs are not allowed in indentation", name, i+1)
		}
		content, err := stripComment(trimmedLeft)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, i+1, err)
		}
		content = strings.TrimRight(content, " \t")
		if content == "" {
			continue
		}
		if content == "---" || content == "..." {
			return nil, fmt.Errorf("%s:%d: only one YAML document is supported", name, i+1)
		}
		p.lines = append(p.lines, yamlLine{number: i + 1, indent: len(raw) - len(trimmedLeft), content: content})
	}
	if len(p.lines) == 0 {
		return map[string]interface{}{}, nil
	}
	if p.lines[0].indent != 0 {
		return nil, p.errorf(p.lines[0], "the document must start at column 1")
	}
	value, err := p.parseBlock(0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.lines) {
		return nil, p.errorf(p.lines[p.pos], "unexpected indentation")
	}
	root, ok := value.(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("%s: the document must be a mapping", name)
	}
	return root, nil
}

func (p *yamlParser) errorf(line yamlLine, format string, args ...interface{}) error {
	return fmt.Errorf("%s:%d: %s", p.name, line.number, fmt.Sprintf(format, args...))
}

// stripComment removes a '#' comment that starts the line or follows a space, outside quotes.
func stripComment(s string) (string, error) {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '"' && c == '\\':
			i++ // an escaped character cannot close the string
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			if i == 0 || strings.IndexByte(" [{,:", s[i-1]) >= 0 {
				quote = c
			}
		case c == '#' && (i == 0 || s[i-1] == ' '):
			return s[:i], nil
		}
	}
	return s, nil
}

func isSequenceItem(content string) bool {
	return content == "-" || strings.HasPrefix(content, "- ")
}

func (p *yamlParser) parseBlock(indent int) (interface{}, error) {
	line := p.lines[p.pos]
	if isSequenceItem(line.content) {
		return p.parseSequence(indent)
	}
	return p.parseMapping(indent)
}

func (p *yamlParser) parseMapping(indent int) (interface{}, error) {
	result := map[string]interface{}{}
	for p.pos < len(p.lines) {
		line := p.lines[p.pos]
		if line.indent < indent {
			break
		}
		if line.indent > indent {
			return nil, p.errorf(line, "unexpected indentation")
		}
		if isSequenceItem(line.content) {
			return nil, p.errorf(line, "a sequence item where a mapping key was expected")
		}
		key, rest, err := splitKey(line.content)
		if err != nil {
			return nil, p.errorf(line, "%v", err)
		}
		if _, dup := result[key]; dup {
			return nil, p.errorf(line, "duplicate key %q", key)
		}
		p.pos++
		var value interface{}
		if rest == "" {
			value, err = p.parseNested(indent, line)
		} else {
			value, err = p.parseInline(line, rest)
		}
		if err != nil {
			return nil, err
		}
		result[key] = value
	}
	return result, nil
}

// parseNested reads the block under "key:", which is indented deeper or is a sequence at the key's own indent.
func (p *yamlParser) parseNested(indent int, owner yamlLine) (interface{}, error) {
	if p.pos >= len(p.lines) {
		return nil, nil
	}
	next := p.lines[p.pos]
	if next.indent > indent {
		return p.parseBlock(next.indent)
	}
	if next.indent == indent && isSequenceItem(next.content) && !isSequenceItem(owner.content) {
		return p.parseSequence(indent)
	}
	return nil, nil
}

func (p *yamlParser) parseSequence(indent int) (interface{}, error) {
	result := []interface{}{}
	for p.pos < len(p.lines) {
		line := p.lines[p.pos]
		if line.indent < indent || line.indent == indent && !isSequenceItem(line.content) {
			break
		}
		if line.indent > indent {
			return nil, p.errorf(line, "unexpected indentation")
		}
		rest := strings.TrimLeft(strings.TrimPrefix(line.content, "-"), " ")
		if rest == "" {
			p.pos++
			value, err := p.parseNested(indent, line)
			if err != nil {
				return nil, err
			}
			result = append(result, value)
			continue
		}
		if _, _, err := splitKey(rest); err == nil && !strings.HasPrefix(rest, "[") && !strings.HasPrefix(rest, "{") {
			// "- key: value": a mapping whose keys line up with the first key's column.
			column := line.indent + len(line.content) - len(rest)
			p.lines[p.pos] = yamlLine{number: line.number, indent: column, content: rest}
			value, err := p.parseMapping(column)
			if err != nil {
				return nil, err
			}
			result = append(result, value)
			continue
		}
		p.pos++
		value, err := p.parseInline(line, rest)
		if err != nil {
			return nil, err
		}
		result = append(result, value)
	}
	return result, nil
}

// splitKey splits "key: rest" (rest may be empty); the key may be quoted.
func splitKey(content string) (string, string, error) {
	if strings.HasPrefix(content, "\"") || strings.HasPrefix(content, "'") {
		end, err := quotedEnd(content)
		if err != nil {
			return "", "", err
		}
		key, err := unquote(content[:end])
		if err != nil {
			return "", "", err
		}
		after := content[end:]
		if after == ":" || strings.HasPrefix(after, ": ") {
			return key, strings.TrimSpace(after[1:]), nil
		}
		return "", "", fmt.Errorf("expected ':' after the key %s", content[:end])
	}
	index := strings.Index(content, ": ")
	if index < 0 {
		if strings.HasSuffix(content, ":") {
			index = len(content) - 1
		} else {
			return "", "", fmt.Errorf("expected 'key: value', found %q", content)
		}
	}
	key := strings.TrimSpace(content[:index])
	if key == "" || strings.ContainsAny(key[:1], "[]{}&*!|>%@`") {
		return "", "", fmt.Errorf("unsupported key %q", key)
	}
	return key, strings.TrimSpace(content[index+1:]), nil
}

func quotedEnd(s string) (int, error) {
	quote := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case quote == '"' && s[i] == '\\':
			i++
		case quote == '\'' && s[i] == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case s[i] == quote:
			return i + 1, nil
		}
	}
	return 0, fmt.Errorf("unterminated quoted string")
}

func unquote(s string) (string, error) {
	if s[0] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'"), nil
	}
	value, err := strconv.Unquote(s)
	if err != nil {
		return "", fmt.Errorf("bad double-quoted string %s", s)
	}
	return value, nil
}

func (p *yamlParser) parseInline(line yamlLine, text string) (interface{}, error) {
	switch text[0] {
	case '&', '*', '!':
		return nil, p.errorf(line, "anchors, aliases and tags are not supported")
	case '|', '>':
		return nil, p.errorf(line, "block scalars (| and >) are not supported; use a quoted string")
	case '[', '{':
		f := &flowReader{text: text}
		value, err := f.value()
		if err == nil {
			f.skipSpaces()
			if f.pos != len(f.text) {
				err = fmt.Errorf("unexpected %q after the flow collection", f.text[f.pos:])
			}
		}
		if err != nil {
			return nil, p.errorf(line, "%v", err)
		}
		return value, nil
	}
	value, err := scalar(text)
	if err != nil {
		return nil, p.errorf(line, "%v", err)
	}
	return value, nil
}

// scalar resolves one scalar the way YAML 1.2's core schema does (what Helm sees after its JSON round trip).
func scalar(text string) (interface{}, error) {
	if text[0] == '"' || text[0] == '\'' {
		end, err := quotedEnd(text)
		if err != nil {
			return nil, err
		}
		if end != len(text) {
			return nil, fmt.Errorf("unexpected %q after a quoted string", text[end:])
		}
		return unquote(text)
	}
	switch text {
	case "null", "Null", "NULL", "~":
		return nil, nil
	case "true", "True", "TRUE":
		return true, nil
	case "false", "False", "FALSE":
		return false, nil
	}
	if i, err := strconv.ParseInt(text, 10, 64); err == nil {
		return float64(i), nil
	}
	if f, err := strconv.ParseFloat(text, 64); err == nil && !math.IsInf(f, 0) && !strings.ContainsAny(text, "xXpP_") &&
		!strings.EqualFold(text, "nan") {
		return f, nil
	}
	if strings.ContainsAny(text[:1], "@`%") {
		return nil, fmt.Errorf("a plain scalar cannot start with %q; quote it", text[:1])
	}
	if strings.Contains(text, ": ") {
		return nil, fmt.Errorf("%q looks like a nested mapping on one line; quote it or break the line", text)
	}
	return text, nil
}

type flowReader struct {
	text string
	pos  int
}

func (f *flowReader) skipSpaces() {
	for f.pos < len(f.text) && f.text[f.pos] == ' ' {
		f.pos++
	}
}

func (f *flowReader) value() (interface{}, error) {
	f.skipSpaces()
	if f.pos >= len(f.text) {
		return nil, fmt.Errorf("unterminated flow collection")
	}
	switch f.text[f.pos] {
	case '[':
		f.pos++
		list := []interface{}{}
		for {
			f.skipSpaces()
			if f.pos < len(f.text) && f.text[f.pos] == ']' {
				f.pos++
				return list, nil
			}
			item, err := f.value()
			if err != nil {
				return nil, err
			}
			list = append(list, item)
			if err := f.separator(']'); err != nil {
				return nil, err
			}
		}
	case '{':
		f.pos++
		result := map[string]interface{}{}
		for {
			f.skipSpaces()
			if f.pos < len(f.text) && f.text[f.pos] == '}' {
				f.pos++
				return result, nil
			}
			key, err := f.token(":")
			if err != nil {
				return nil, err
			}
			keyText, ok := key.(string)
			if !ok {
				return nil, fmt.Errorf("flow mapping keys must be strings")
			}
			if f.pos >= len(f.text) || f.text[f.pos] != ':' {
				return nil, fmt.Errorf("expected ':' after %q in a flow mapping", keyText)
			}
			f.pos++
			item, err := f.value()
			if err != nil {
				return nil, err
			}
			result[keyText] = item
			if err := f.separator('}'); err != nil {
				return nil, err
			}
		}
	}
	return f.token(",]}")
}

// separator consumes ',' or leaves the closing bracket for the caller's loop.
func (f *flowReader) separator(closing byte) error {
	f.skipSpaces()
	if f.pos < len(f.text) && f.text[f.pos] == ',' {
		f.pos++
		return nil
	}
	if f.pos < len(f.text) && f.text[f.pos] == closing {
		return nil
	}
	return fmt.Errorf("expected ',' or '%c' in a flow collection", closing)
}

func (f *flowReader) token(stops string) (interface{}, error) {
	f.skipSpaces()
	start := f.pos
	if f.pos < len(f.text) && (f.text[f.pos] == '"' || f.text[f.pos] == '\'') {
		end, err := quotedEnd(f.text[f.pos:])
		if err != nil {
			return nil, err
		}
		f.pos += end
		return unquote(f.text[start:f.pos])
	}
	for f.pos < len(f.text) && !strings.ContainsRune(stops, rune(f.text[f.pos])) {
		f.pos++
	}
	text := strings.TrimSpace(f.text[start:f.pos])
	if text == "" {
		return nil, fmt.Errorf("empty item in a flow collection")
	}
	return scalar(text)
}
