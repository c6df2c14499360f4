import Foundation
import MedicDiagnosis
import MedicRunbook

/// The checks of `medic lint` on one runbook file beyond what loading already enforces:
/// variables that do not exist where they are read, fields the enriched view does not have
/// (against `ViewSchema`), also through macro variables, indexed elements and `let` values
/// that are plain field chains, and functions CEL does not know.
public struct Linter {
    /// A runbook that loaded, with the positions of its YAML nodes, for PromQL and test checks.
    public struct Loaded {
        var runbook: Runbook
        var nodes: [String: YAMLNode]
    }

    public static func lint(file path: String) -> (Loaded?, [LintDiagnostic]) {
        let runbook: Runbook
        let root: YAMLNode
        do {
            runbook = try RunbookLoader.loadFile(URL(fileURLWithPath: path))
            root = try YAMLNode.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        } catch let error as LoadError {
            let message = error.field.isEmpty ? error.message : "\(error.field): \(error.message)"
            return (nil, [LintDiagnostic(file: path, line: error.line, column: error.column, severity: .error,
                                         message: message)])
        } catch {
            return (nil, [LintDiagnostic(file: path, line: 0, column: 0, severity: .error, message: "\(error)")])
        }
        var nodes: [String: YAMLNode] = [:]
        collect(root, into: &nodes)
        let loaded = Loaded(runbook: runbook, nodes: nodes)
        return (loaded, Linter(loaded: loaded).check())
    }

    private static func collect(_ node: YAMLNode, into nodes: inout [String: YAMLNode]) {
        switch node.content {
        case .scalar: nodes[node.path] = node
        case .sequence(let items):
            nodes[node.path] = node
            for item in items { collect(item, into: &nodes) }
        case .mapping(let pairs):
            nodes[node.path] = node
            for pair in pairs { collect(pair.value, into: &nodes) }
        }
    }

    public let loaded: Loaded
    private var runbook: Runbook { loaded.runbook }

    /// A variable in scope: its type when the view guarantees one, nil for a `let` value that
    /// is not a plain field chain.
    typealias Scope = [String: ViewSchema.FieldType?]

    private func check() -> [LintDiagnostic] {
        var diagnostics: [LintDiagnostic] = []
        var scope: Scope = ViewSchema.variables(for: runbook.target).mapValues { Optional($0) }
        if let each = runbook.each {
            diagnostics += check(each.collection, at: "each", scope: scope)
            scope[each.variable] = .some(elementType(of: each.collection, scope: scope))
        }
        for (index, condition) in runbook.conditions.enumerated() {
            if case .cel(let cel) = condition {
                diagnostics += check(cel.expression, at: "detect[\(index)].cel", scope: scope)
            }
        }
        for (name, type) in ViewSchema.results { scope[name] = .some(type) }
        for binding in runbook.bindings {
            diagnostics += check(binding.expression, at: "let.\(binding.name)", scope: scope)
            let type: ViewSchema.FieldType? = binding.expression.resultPath.flatMap { path in
                if case .success(let type)? = resolve(path, scope: scope) { type } else { nil }
            }
            scope[binding.name] = .some(type)
        }
        for expression in runbook.summary.expressions { diagnostics += check(expression, at: "summary", scope: scope) }
        for (index, template) in runbook.evidence.enumerated() {
            for expression in template.expressions {
                diagnostics += check(expression, at: "evidence[\(index)]", scope: scope)
            }
        }
        for (index, option) in runbook.remediation.enumerated() {
            if let when = option.when { diagnostics += check(when, at: "remediate[\(index)].when", scope: scope) }
            for (actionIndex, action) in option.actions.enumerated() {
                for (name, parameter) in action.parameters.sorted(by: { $0.key < $1.key }) {
                    let templates: [Template] = switch parameter {
                    case .template(let template): [template]
                    case .map(let entries): entries.flatMap { [$0.key, $0.value] }
                    case .list(let items): items
                    }
                    for expression in templates.flatMap(\.expressions) {
                        diagnostics += check(expression, at: "remediate[\(index)].actions[\(actionIndex)].\(name)",
                                             scope: scope)
                    }
                }
            }
        }
        return diagnostics
    }

    /// `each: c in workload.containers`: c is a container, when the collection is a plain field path.
    private func elementType(of expression: CELExpression, scope: Scope) -> ViewSchema.FieldType? {
        guard let path = expression.fieldPaths.first, path.joined(separator: ".") == expression.source
            .trimmingCharacters(in: .whitespaces), case .some(.some(let root)) = scope[path[0]],
            case .success(let type) = ViewSchema.resolve(path, from: root) else { return nil }
        return type.element
    }

    /// The type at the end of a chain with `"[]"` element steps (`CELExpression.elementPaths`);
    /// nil when its root's type is not known.
    private func resolve(_ path: [String], scope: Scope) -> Result<ViewSchema.FieldType, PathProblem>? {
        guard let first = path.first, case .some(.some(var type)) = scope[first] else { return nil }
        var segment = [first]
        for step in path.dropFirst() {
            guard step == "[]" else {
                segment.append(step)
                continue
            }
            switch ViewSchema.resolve(segment, from: type) {
            case .failure(let problem): return .failure(PathProblem(message: problem.message))
            case .success(let reached): type = reached
            }
            let shown = Self.text(of: segment)
            switch type.unwrapped {
            case .list(let element), .map(let element): type = element
            case let other: return .failure(PathProblem(message: "\(shown) is a \(other), not a list"))
            }
            segment = [shown + "[]"]
        }
        return ViewSchema.resolve(segment, from: type).mapError { PathProblem(message: $0.message) }
    }

    public struct PathProblem: Error {
        var message: String
    }

    /// `workload.containers[].name` for `["workload", "containers", "[]", "name"]`.
    private static func text(of path: [String]) -> String {
        path.enumerated().map { index, step in step == "[]" ? step : (index == 0 ? step : "." + step) }.joined()
    }

    private func check(_ expression: CELExpression, at path: String, scope: Scope) -> [LintDiagnostic] {
        var messages: [String] = []
        do {
            try expression.checkFunctions(.medic)
        } catch {
            messages.append(error.message)
        }
        for name in expression.rootIdentifiers.sorted() where scope[name] == nil {
            var message = "unknown variable '\(name)'"
            if let guess = Spelling.closest(to: name, among: Array(scope.keys)) {
                message += " (did you mean '\(guess)'?)"
            } else if ViewSchema.results[name] != nil {
                message += " (the condition results exist only after the conditions ran)"
            }
            messages.append(message)
        }
        for fieldPath in expression.fieldPaths where fieldPath.count > 1 {
            guard case .some(.some(let root)) = scope[fieldPath[0]] else { continue }
            if case .failure(let problem) = ViewSchema.resolve(fieldPath, from: root) {
                messages.append("the enriched view has no \(fieldPath.joined(separator: ".")): \(problem.message)")
            }
        }
        for elementPath in expression.elementPaths {
            if case .failure(let problem)? = resolve(elementPath, scope: scope) {
                messages.append("the enriched view has no \(Self.text(of: elementPath)): \(problem.message)")
            }
        }
        let node = loaded.nodes[path] ?? loaded.nodes[""]
        return messages.map { message in
            LintDiagnostic(file: runbook.file, line: node?.line ?? 1, column: node?.column ?? 1, severity: .error,
                           message: "\(path): \(message)")
        }
    }

    /// An id two files define: advise and run would refuse to load them together.
    public static func duplicateIDs(_ loaded: [Linter.Loaded]) -> [LintDiagnostic] {
        var first: [String: Linter.Loaded] = [:]
        var diagnostics: [LintDiagnostic] = []
        for item in loaded {
            guard let other = first[item.runbook.id] else {
                first[item.runbook.id] = item
                continue
            }
            let node = item.nodes["metadata.name"]
            diagnostics.append(LintDiagnostic(
                file: item.runbook.file, line: node?.line ?? 1, column: node?.column ?? 1, severity: .error,
                message: "metadata.name: runbook id '\(item.runbook.id)' is defined twice, here and in \(other.runbook.file)"))
        }
        return diagnostics
    }
}
