package engine

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
)

// shadowedImport finds a local variable named like one of the module's imports: OPA's strict
// mode accepts it, but inside that rule the import silently stops meaning the package, which
// is how a helper call turns into a comparison with a local value. Org policies are held to
// this; it returns a one-line error at the variable.
func shadowedImport(file string, m *ast.Module) error {
	imports := map[ast.Var]*ast.Import{}
	for _, imp := range m.Imports {
		imports[imp.Name()] = imp
	}
	if len(imports) == 0 {
		return nil
	}
	var found error
	check := func(t *ast.Term) {
		if found != nil {
			return
		}
		ast.WalkVars(t, func(v ast.Var) bool {
			if imp, ok := imports[v]; ok && found == nil {
				row, col := 0, 0
				if t.Location != nil {
					row, col = t.Location.Row, t.Location.Col
				}
				found = fmt.Errorf("%s:%d:%d: variable %s shadows import %s; rename the variable", file, row, col, v, imp.Path)
			}
			return false
		})
	}
	ast.WalkExprs(m, func(e *ast.Expr) bool {
		switch {
		case e.IsAssignment():
			check(e.Operand(0))
		default:
			if decl, ok := e.Terms.(*ast.SomeDecl); ok {
				for _, s := range decl.Symbols {
					if call, ok := s.Value.(ast.Call); ok && len(call) > 1 {
						// some k, v in xs: the names before "in"
						for _, arg := range call[1 : len(call)-1] {
							check(arg)
						}
						continue
					}
					check(s)
				}
			}
		}
		return found != nil
	})
	if found == nil {
		for _, r := range m.Rules {
			for _, arg := range r.Head.Args {
				check(arg)
			}
		}
	}
	return found
}
