package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The models of a kiota-generated Go SDK (msgraph-beta-sdk-go/models and its sub-packages),
// read with go/parser: nothing of the SDK is compiled or imported.
//
//   - A model is a struct; its one embedded field is its base type (Entity is the root of
//     entity types).
//   - NewX sets "#namespace.name", the type's OData name, when the type has one.
//   - GetFieldDeserializers adds one deserializer per own property, keyed by the JSON name;
//     the ParseNode call in it tells the type: GetStringValue is Edm.String,
//     GetObjectValue(CreateXFromDiscriminatorValue) is type X,
//     GetCollectionOfObjectValues(...) a collection of X, GetEnumValue(ParseX) enum X,
//     GetCollectionOfPrimitiveValues("string") a collection of Edm.String, and so on.

// kiotaModel is one Go struct of the models.
type kiotaModel struct {
	pkg, goName string
	base        *goRef // the embedded struct, nil for a root
	odataName   string // from NewX, "" when NewX sets none
	props       map[string]kiotaProp
}

type goRef struct{ pkg, name string }

// kiotaProp is one deserializer: the ParseNode method and its reference or primitive name.
type kiotaProp struct {
	method string
	ref    *goRef // Create...FromDiscriminatorValue or Parse... target
	prim   string // GetCollectionOfPrimitiveValues argument
}

// kiotaModels parses every .go file under dir (the SDK's models directory) and returns the
// structs by package-relative key "pkg.GoName" (pkg is the directory relative to dir, "" for
// models itself) and the enum Go types by the same key.
func kiotaModels(dir string) (map[string]*kiotaModel, map[string]bool, error) {
	models := map[string]*kiotaModel{}
	enums := map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		rel, _ := filepath.Rel(dir, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		if pkg == "." {
			pkg = ""
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return fmt.Errorf("parse %s: %w", path, err)
		}
		imports := map[string]string{} // alias -> package key ("" for models, "security", ...)
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if rest, ok := strings.CutPrefix(p, "github.com/microsoftgraph/msgraph-beta-sdk-go/models"); ok && im.Name != nil {
				imports[im.Name.Name] = strings.TrimPrefix(rest, "/")
			}
		}
		ref := func(e ast.Expr, prefix string) *goRef {
			switch x := e.(type) {
			case *ast.Ident:
				if n, ok := strings.CutPrefix(x.Name, prefix); ok {
					return &goRef{pkg: pkg, name: strings.TrimSuffix(n, "FromDiscriminatorValue")}
				}
			case *ast.SelectorExpr:
				id, ok := x.X.(*ast.Ident)
				if !ok {
					return nil
				}
				p, known := imports[id.Name]
				if n, ok := strings.CutPrefix(x.Sel.Name, prefix); ok && known {
					return &goRef{pkg: p, name: strings.TrimSuffix(n, "FromDiscriminatorValue")}
				}
			}
			return nil
		}
		model := func(name string) *kiotaModel {
			k := pkg + "." + name
			if models[k] == nil {
				models[k] = &kiotaModel{pkg: pkg, goName: name, props: map[string]kiotaProp{}}
			}
			return models[k]
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					ts, ok := spec.(*ast.TypeSpec)
					if !ok {
						continue
					}
					switch t := ts.Type.(type) {
					case *ast.StructType:
						m := model(ts.Name.Name)
						for _, fld := range t.Fields.List {
							if len(fld.Names) > 0 {
								continue
							}
							switch x := fld.Type.(type) {
							case *ast.Ident:
								m.base = &goRef{pkg: pkg, name: x.Name}
							case *ast.SelectorExpr:
								if id, ok := x.X.(*ast.Ident); ok {
									if p, known := imports[id.Name]; known {
										m.base = &goRef{pkg: p, name: x.Sel.Name}
									}
								}
							}
						}
					case *ast.Ident:
						if t.Name == "int" {
							enums[pkg+"."+ts.Name.Name] = true
						}
					}
				}
			case *ast.FuncDecl:
				switch {
				case d.Recv == nil && strings.HasPrefix(d.Name.Name, "New") && d.Body != nil:
					ast.Inspect(d.Body, func(n ast.Node) bool {
						as, ok := n.(*ast.AssignStmt)
						if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
							return true
						}
						if id, ok := as.Lhs[0].(*ast.Ident); ok && id.Name == "odataTypeValue" {
							if lit, ok := as.Rhs[0].(*ast.BasicLit); ok {
								v, _ := strconv.Unquote(lit.Value)
								model(strings.TrimPrefix(d.Name.Name, "New")).odataName = strings.TrimPrefix(v, "#")
							}
						}
						return true
					})
				case d.Recv != nil && d.Name.Name == "GetFieldDeserializers" && d.Body != nil:
					star, ok := d.Recv.List[0].Type.(*ast.StarExpr)
					if !ok {
						continue
					}
					recv, ok := star.X.(*ast.Ident)
					if !ok {
						continue
					}
					m := model(recv.Name)
					for _, st := range d.Body.List {
						as, ok := st.(*ast.AssignStmt)
						if !ok || len(as.Lhs) != 1 {
							continue
						}
						idx, ok := as.Lhs[0].(*ast.IndexExpr)
						if !ok {
							continue
						}
						lit, ok := idx.Index.(*ast.BasicLit)
						if !ok {
							continue
						}
						name, _ := strconv.Unquote(lit.Value)
						fn, ok := as.Rhs[0].(*ast.FuncLit)
						if !ok {
							continue
						}
						if p, ok := parseCall(fn, ref); ok {
							m.props[name] = p
						}
					}
				}
			}
		}
		return nil
	})
	return models, enums, err
}

// parseCall finds the ParseNode call of a deserializer: the first n.GetX(...) in its body.
func parseCall(fn *ast.FuncLit, ref func(ast.Expr, string) *goRef) (kiotaProp, bool) {
	var p kiotaProp
	found := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "n" || !strings.HasPrefix(sel.Sel.Name, "Get") {
			return true
		}
		p.method = sel.Sel.Name
		if len(call.Args) == 1 {
			switch a := call.Args[0].(type) {
			case *ast.BasicLit:
				p.prim, _ = strconv.Unquote(a.Value)
			default:
				if r := ref(a, "Create"); r != nil {
					p.ref = r
				} else if r := ref(a, "Parse"); r != nil {
					p.ref = r
				} else if sx, ok := a.(*ast.SelectorExpr); ok && sx.Sel.Name == "CreateUntypedNodeFromDiscriminatorValue" {
					p.prim = "untyped"
				}
			}
		}
		found = true
		return false
	})
	return p, found
}

// edmOf maps the ParseNode getters of primitives to Edm types.
var edmOf = map[string]string{
	"GetStringValue": "Edm.String", "GetBoolValue": "Edm.Boolean", "GetInt32Value": "Edm.Int32",
	"GetInt64Value": "Edm.Int64", "GetFloat64Value": "Edm.Double", "GetFloat32Value": "Edm.Single",
	"GetTimeValue": "Edm.DateTimeOffset", "GetUUIDValue": "Edm.Guid", "GetByteArrayValue": "Edm.Binary",
	"GetDateOnlyValue": "Edm.Date", "GetTimeOnlyValue": "Edm.TimeOfDay", "GetISODurationValue": "Edm.Duration",
	"GetByteValue": "Edm.Byte", "GetInt8Value": "Edm.SByte",
}

// edmOfPrimitive maps GetCollectionOfPrimitiveValues arguments to Edm types.
var edmOfPrimitive = map[string]string{
	"string": "Edm.String", "bool": "Edm.Boolean", "int32": "Edm.Int32", "int64": "Edm.Int64",
	"float64": "Edm.Double", "float32": "Edm.Single", "uuid": "Edm.Guid", "time": "Edm.DateTimeOffset",
	"byte": "Edm.Byte", "dateonly": "Edm.Date", "timeonly": "Edm.TimeOfDay", "isoduration": "Edm.Duration",
}
