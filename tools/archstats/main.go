// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Command archstats prints the figures that say whether a package is a house
// a newcomer can live in: its longest functions, and how its files call each
// other. It is what the refactoring notes quote before and after, so that
// the figures come from one definition instead of a hand count.
//
//	go run ./tools/archstats ./internal/...
//	go run ./tools/archstats -top 15 -files ./internal/provider
//
// A file references another when it uses a package-level name (function,
// type, variable, constant) or a method declared in the other file of the
// same package. Files are then put in an order that puts as many references
// as possible from upper files to lower ones (a greedy feedback-arc-set
// order, then improved by moving single files); a back-reference is one that still runs from a lower file up to an
// upper one. A mutual pair is two files that reference each other. Test
// files are not counted.
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

func main() {
	top := flag.Int("top", 10, "how many of the longest functions to print")
	files := flag.Bool("files", false, "also print each back-reference (file → file: names)")
	flag.Parse()
	patterns := flag.Args()
	if len(patterns) == 0 {
		patterns = []string{"./internal/..."}
	}
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedSyntax |
		packages.NeedTypes | packages.NeedTypesInfo}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "archstats:", err)
		os.Exit(1)
	}
	if packages.PrintErrors(pkgs) > 0 {
		os.Exit(1)
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].PkgPath < pkgs[j].PkgPath })

	var funcs []funcLen
	fmt.Println("package\tfiles\tlines\treferences\tmutual pairs\tback-references")
	for _, p := range pkgs {
		g := fileGraph(p)
		funcs = append(funcs, longFuncs(p)...)
		order := arcOrder(g)
		back := backEdges(g, order)
		fmt.Printf("%s\t%d\t%d\t%d\t%d\t%d\n", short(p.PkgPath), len(g.files), g.lines, g.edgeCount(),
			g.mutualPairs(), len(back))
		if *files {
			for _, e := range back {
				fmt.Printf("\t  %s → %s: %s\n", e.from, e.to, strings.Join(g.names[e], ", "))
			}
		}
	}
	sort.Slice(funcs, func(i, j int) bool {
		if funcs[i].lines != funcs[j].lines {
			return funcs[i].lines > funcs[j].lines
		}
		return funcs[i].name < funcs[j].name
	})
	fmt.Printf("\nlongest functions (lines, from func to closing brace)\n")
	for i := 0; i < *top && i < len(funcs); i++ {
		fmt.Printf("%5d  %s  %s\n", funcs[i].lines, funcs[i].name, funcs[i].pos)
	}
}

func short(path string) string {
	if i := strings.Index(path, "/internal/"); i >= 0 {
		return path[i+1:]
	}
	return path
}

type edge struct{ from, to string }

type graph struct {
	files []string
	lines int
	// names holds, for each reference, the names it uses (sorted).
	names map[edge][]string
}

func (g *graph) edgeCount() int { return len(g.names) }

func (g *graph) mutualPairs() int {
	n := 0
	for e := range g.names {
		if e.from < e.to {
			if _, ok := g.names[edge{e.to, e.from}]; ok {
				n++
			}
		}
	}
	return n
}

// fileGraph builds the file-to-file reference graph of one package from the
// type checker's record of which object each identifier uses.
func fileGraph(p *packages.Package) *graph {
	g := &graph{names: map[edge][]string{}}
	declFile := map[types.Object]string{}
	for i, f := range p.Syntax {
		name := filepath.Base(p.CompiledGoFiles[i])
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		g.files = append(g.files, name)
		g.lines += p.Fset.Position(f.End()).Line
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if obj := p.TypesInfo.Defs[d.Name]; obj != nil {
					declFile[obj] = name
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						declFile[p.TypesInfo.Defs[s.Name]] = name
					case *ast.ValueSpec:
						for _, id := range s.Names {
							if obj := p.TypesInfo.Defs[id]; obj != nil {
								declFile[obj] = name
							}
						}
					}
				}
			}
		}
	}
	seen := map[edge]map[string]bool{}
	for i, f := range p.Syntax {
		from := filepath.Base(p.CompiledGoFiles[i])
		if strings.HasSuffix(from, "_test.go") {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			obj := p.TypesInfo.Uses[id]
			if obj == nil {
				return true
			}
			to, ok := declFile[obj]
			if !ok || to == from {
				return true
			}
			e := edge{from, to}
			if seen[e] == nil {
				seen[e] = map[string]bool{}
			}
			seen[e][obj.Name()] = true
			return true
		})
	}
	for e, set := range seen {
		for n := range set {
			g.names[e] = append(g.names[e], n)
		}
		sort.Strings(g.names[e])
	}
	sort.Strings(g.files)
	return g
}

// arcOrder orders the files so that few references run backwards, by the
// greedy heuristic of Eades, Lin and Smyth: files that reference nothing
// left go last, files nothing left references go first, and otherwise the
// file with the most outgoing minus incoming references goes first. Ties
// break by name so the figure is the same on every run.
func arcOrder(g *graph) []string {
	left := map[string]bool{}
	for _, f := range g.files {
		left[f] = true
	}
	degree := func(f string) (in, out int) {
		for e := range g.names {
			if !left[e.from] || !left[e.to] {
				continue
			}
			if e.from == f {
				out++
			}
			if e.to == f {
				in++
			}
		}
		return in, out
	}
	var head, tail []string
	for len(left) > 0 {
		names := make([]string, 0, len(left))
		for f := range left {
			names = append(names, f)
		}
		sort.Strings(names)
		moved := false
		for _, f := range names {
			if in, out := degree(f); out == 0 {
				tail = append([]string{f}, tail...)
				delete(left, f)
				moved = true
			} else if in == 0 {
				head = append(head, f)
				delete(left, f)
				moved = true
			}
		}
		if moved {
			continue
		}
		best, bestScore := "", 0
		for i, f := range names {
			in, out := degree(f)
			if score := out - in; i == 0 || score > bestScore {
				best, bestScore = f, score
			}
		}
		head = append(head, best)
		delete(left, best)
	}
	return improve(g, append(head, tail...))
}

// improve moves one file at a time to the place where the fewest references
// run backwards, until no single move helps. The greedy order alone can put
// a file that many others name (provider.go) below the files it wires up.
func improve(g *graph, order []string) []string {
	for {
		best := len(backEdges(g, order))
		bestOrder := order
		for i := range order {
			rest := append(append([]string{}, order[:i]...), order[i+1:]...)
			for j := 0; j <= len(rest); j++ {
				cand := append(append(append([]string{}, rest[:j]...), order[i]), rest[j:]...)
				if n := len(backEdges(g, cand)); n < best {
					best, bestOrder = n, cand
				}
			}
		}
		if len(bestOrder) == len(order) && &bestOrder[0] == &order[0] {
			return order
		}
		order = bestOrder
	}
}

func backEdges(g *graph, order []string) []edge {
	rank := map[string]int{}
	for i, f := range order {
		rank[f] = i
	}
	var back []edge
	for e := range g.names {
		if rank[e.from] > rank[e.to] {
			back = append(back, e)
		}
	}
	sort.Slice(back, func(i, j int) bool {
		if back[i].from != back[j].from {
			return back[i].from < back[j].from
		}
		return back[i].to < back[j].to
	})
	return back
}

type funcLen struct {
	name  string
	pos   string
	lines int
}

func longFuncs(p *packages.Package) []funcLen {
	var out []funcLen
	for i, f := range p.Syntax {
		file := p.CompiledGoFiles[i]
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			start, end := p.Fset.Position(fd.Pos()), p.Fset.Position(fd.End())
			name := fd.Name.Name
			if fd.Recv != nil && len(fd.Recv.List) == 1 {
				name = recvName(fd.Recv.List[0].Type) + "." + name
			}
			out = append(out, funcLen{
				name:  short(p.PkgPath) + "." + name,
				pos:   fmt.Sprintf("%s:%d", filepath.Base(file), start.Line),
				lines: end.Line - start.Line + 1,
			})
		}
	}
	return out
}

func recvName(t ast.Expr) string {
	switch t := t.(type) {
	case *ast.StarExpr:
		return recvName(t.X)
	case *ast.IndexExpr:
		return recvName(t.X)
	case *ast.IndexListExpr:
		return recvName(t.X)
	case *ast.Ident:
		return t.Name
	}
	return "?"
}
