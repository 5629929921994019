//go:build !js

package browser

import (
	"go/build/constraint"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildTags checks that every file of the package but doc.go builds only
// for js/wasm, so that native builds see no code that needs a browser, and
// that doc.go builds everywhere, so that native go vet sees the package.
func TestBuildTags(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue // tests choose their own platforms
		}
		expr, err := buildConstraint(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if name == "doc.go" {
			if expr != nil {
				t.Errorf("doc.go has the build constraint %q: it must build everywhere", expr)
			}
			continue
		}
		if !jsWasmOnly(expr) {
			t.Errorf("%s: build constraint %v, want //go:build js && wasm", name, expr)
		}
	}
}

// buildConstraint returns the //go:build constraint of a Go file, or nil.
func buildConstraint(name string) (constraint.Expr, error) {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.PackageClauseOnly|parser.ParseComments)
	if err != nil {
		return nil, err
	}
	// A build constraint is a comment line before the package clause.
	for _, group := range f.Comments {
		if group.Pos() > f.Package {
			break
		}
		for _, c := range group.List {
			if constraint.IsGoBuild(c.Text) {
				return constraint.Parse(c.Text)
			}
		}
	}
	return nil, nil
}

// jsWasmOnly reports whether expr holds for GOOS=js GOARCH=wasm and for no
// platform with only one of the two.
func jsWasmOnly(expr constraint.Expr) bool {
	if expr == nil {
		return false
	}
	holds := func(tags ...string) bool {
		return expr.Eval(func(tag string) bool {
			for _, t := range tags {
				if tag == t {
					return true
				}
			}
			return false
		})
	}
	return holds("js", "wasm") && !holds("js") && !holds("wasm") && !holds("wasip1", "wasm") && !holds("linux", "amd64")
}
