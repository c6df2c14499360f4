import Foundation
import MedicRemediation

/// Reads runbook files strictly: every field is checked, every expression parsed, and every
/// problem reported at `file:line:col` with the field path, before any rule runs.
public enum RunbookLoader {
    /// Loads every `*.yaml`/`*.yml` file directly in `directory`, sorted by name. Ids must be unique.
    public static func loadDirectory(_ directory: URL) throws(LoadError) -> [Runbook] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw LoadError(file: directory.path, line: 0, column: 0, field: "",
                            message: "cannot read the runbook directory: \(error.localizedDescription)")
        }
        var runbooks: [Runbook] = []
        var seen: [String: String] = [:]
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let file = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let runbook = try loadFile(file)
            if let other = seen[runbook.id] {
                throw LoadError(file: runbook.file, line: 1, column: 1, field: "metadata.name",
                                message: "runbook id '\(runbook.id)' is already used by \(other)")
            }
            seen[runbook.id] = runbook.file
            runbooks.append(runbook)
        }
        return runbooks
    }

    /// Loads several directories as one set: the built-in runbooks and the user's own. The
    /// same directory named twice (a symlink, `./runbooks` and its absolute path) is read once;
    /// an id that two files define is an error naming both, since either could be meant.
    public static func loadDirectories(_ directories: [URL]) throws(LoadError) -> [Runbook] {
        var read: Set<String> = []
        var runbooks: [Runbook] = []
        var seen: [String: String] = [:]
        for directory in directories {
            guard read.insert(directory.resolvingSymlinksInPath().standardizedFileURL.path).inserted else { continue }
            for runbook in try loadDirectory(directory) {
                if let other = seen[runbook.id] {
                    throw LoadError(file: runbook.file, line: 1, column: 1, field: "metadata.name",
                                    message: "runbook id '\(runbook.id)' is defined twice, here and in \(other); "
                                        + "rename one, or pass --no-builtin-runbooks to replace the built-in ones")
                }
                seen[runbook.id] = runbook.file
                runbooks.append(runbook)
            }
        }
        return runbooks
    }

    public static func loadFile(_ url: URL) throws(LoadError) -> Runbook {
        try parse(YAMLFile.read(url.path, expected: YAMLFile.runbookFile), file: url.path)
    }

    public static func parse(_ text: String, file: String) throws(LoadError) -> Runbook {
        let root = try YAMLNode.parse(text, file: file)
        let reader = ExpressionReader(text: text)
        let top = try root.mapping(allowed: ["apiVersion", "kind", "metadata", "target", "each", "detect", "let",
                                             "summary", "evidence", "remediate", "verify"])
        try top.checkHeader(kind: "Runbook")
        let metadata = try top.required("metadata").mapping(allowed: ["name", "severity", "title", "description", "layer",
                                                                                "explainedBy", "triggers"])
        let idNode = try metadata.required("name")
        let id = try idNode.string()
        guard id.range(of: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", options: .regularExpression) != nil else {
            throw idNode.error("a runbook id is lowercase letters, digits and '-', like 'oom-killed'")
        }
        let severity = Runbook.Severity(rawValue: try metadata.required("severity")
            .oneOf(Runbook.Severity.allCases.map(\.rawValue)))!
        let title = try metadata.required("title").string()
        let description = try metadata["description"]?.string() ?? ""
        let layer = try metadata["layer"].map { node throws(LoadError) in
            Runbook.Layer(rawValue: try node.oneOf(Runbook.Layer.allCases.map(\.rawValue)))!
        } ?? .specific
        var explainedBy = Set(try (metadata["explainedBy"]?.list() ?? []).map { node throws(LoadError) in
            Runbook.Cause(rawValue: try node.oneOf(Runbook.Cause.allCases.map(\.rawValue)))!
        })
        // A layer implies its usual causes unless the runbook names its own: a traffic drop is
        // its callers' doing or its own, never its dependencies'.
        if metadata["explainedBy"] == nil {
            if layer >= .triage { explainedBy.insert(.dependency) }
            if layer == .symptom { explainedBy.insert(.fault) }
        }
        let triggers = try metadata["triggers"].map { node throws(LoadError) in try alertNames(node) } ?? []
        let target = Runbook.TargetKind(rawValue: try top.required("target")
            .oneOf(Runbook.TargetKind.allCases.map(\.rawValue)))!

        let each = try top["each"].map { node throws(LoadError) in try iteration(node, reader: reader) }
        let detect = try top.required("detect").list()
        guard !detect.isEmpty else { throw try top.required("detect").error("a runbook needs at least one condition") }
        var conditions: [Runbook.Condition] = []
        for node in detect {
            let condition = try self.condition(node, reader: reader)
            if conditions.contains(where: { $0.id == condition.id }) {
                throw node.error("condition id '\(condition.id)' is used twice")
            }
            conditions.append(condition)
        }
        var bindings: [Runbook.Binding] = []
        if let lets = top["let"] {
            let mapping = try lets.mapping(allowed: nil)
            for name in mapping.keys {
                let node = mapping[name]!
                bindings.append(.init(name: name, expression: try reader.expression(node)))
            }
        }
        let summary = try reader.template(try top.required("summary"))
        let evidence = try (top["evidence"]?.list() ?? []).map { node throws(LoadError) in try reader.template(node) }
        let remediateNode = try top.required("remediate")
        let options = try remediateNode.list().map { node throws(LoadError) in try option(node, reader: reader) }
        guard !options.isEmpty else { throw remediateNode.error("list at least one remediation (a notify at least)") }
        if let unreachable = options.dropLast().firstIndex(where: { $0.when == nil }) {
            throw try remediateNode.list()[unreachable].error(
                "an option without 'when' always applies, so the options after it can never be chosen")
        }
        let verification = try top["verify"].map { node throws(LoadError) in try self.verification(node) }
        return Runbook(id: id, severity: severity, title: title, description: description, layer: layer,
                       explainedBy: explainedBy, triggers: triggers,
                       target: target, each: each, conditions: conditions, bindings: bindings, summary: summary,
                       evidence: evidence, remediation: options, verification: verification, file: file)
    }

    /// `metadata.triggers`: alert names as Prometheus rules spell them, each once.
    private static func alertNames(_ node: YAMLNode) throws(LoadError) -> [String] {
        var names: [String] = []
        for item in try node.list() {
            let name = try item.string()
            guard name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                throw item.error("'\(name)' is not an alert name: letters, digits and '_', like KubePodCrashLooping "
                                 + "(the alertname label of the Prometheus rule)")
            }
            guard !names.contains(name) else { throw item.error("'\(name)' is listed twice") }
            names.append(name)
        }
        return names
    }

    private static func verification(_ node: YAMLNode) throws(LoadError) -> Runbook.Verification {
        let fields = try node.mapping(allowed: ["within"])
        let within = try fields.required("within")
        let seconds = try within.duration()
        guard seconds > 0 else { throw within.error("a verification window must be longer than 0s") }
        return .init(within: seconds)
    }

    private static func iteration(_ node: YAMLNode, reader: ExpressionReader) throws(LoadError) -> Runbook.Iteration {
        let text = try node.string()
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count == 3, parts[1] == "in",
              parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw node.error("expected 'NAME in EXPRESSION', e.g. 'c in workload.containers'")
        }
        let offset = text.distance(from: text.startIndex, to: parts[2].startIndex)
        return .init(variable: String(parts[0]),
                     collection: try reader.expression(node, source: String(parts[2]), offset: offset))
    }

    private static func condition(_ node: YAMLNode, reader: ExpressionReader) throws(LoadError) -> Runbook.Condition {
        let fields = try node.mapping(allowed: ["id", "cel", "promql", "above", "below", "for", "step",
                                                "required", "description"])
        let id = try fields.required("id").string()
        switch (fields["cel"], fields["promql"]) {
        case (let cel?, nil):
            for metricOnly in ["above", "below", "for", "step", "required"] where fields[metricOnly] != nil {
                throw fields[metricOnly]!.error("'\(metricOnly)' applies to promql conditions only")
            }
            return .cel(.init(id: id, expression: try reader.expression(cel)))
        case (nil, let promql?):
            let comparison: Runbook.MetricCondition.Comparison
            switch (fields["above"], fields["below"]) {
            case (let above?, nil): comparison = .above(try above.double())
            case (nil, let below?): comparison = .below(try below.double())
            default: throw node.error("a promql condition needs exactly one of 'above' or 'below'")
            }
            let query = try promql.string().trimmingCharacters(in: .whitespacesAndNewlines)
            guard !query.isEmpty else { throw promql.error("the query is empty") }
            return .metric(.init(id: id, promql: query, comparison: comparison,
                                 window: try fields["for"]?.duration() ?? 0,
                                 step: try fields["step"]?.duration() ?? 30,
                                 required: try fields["required"]?.bool() ?? true,
                                 description: try fields["description"]?.string()))
        case (nil, nil):
            throw node.error("a condition needs 'cel' or 'promql'")
        case (_?, _?):
            throw node.error("a condition has either 'cel' or 'promql', not both")
        }
    }

    private static func option(_ node: YAMLNode, reader: ExpressionReader) throws(LoadError) -> Runbook.RemediationOption {
        let fields = try node.mapping(allowed: ["when", "actions"])
        let when = try fields["when"].map { node throws(LoadError) in try reader.expression(node) }
        let actions = try fields.required("actions").list()
        guard !actions.isEmpty else { throw try fields.required("actions").error("list at least one action") }
        return .init(when: when, actions: try actions.map { node throws(LoadError) in try action(node, reader: reader) })
    }

    private static func action(_ node: YAMLNode, reader: ExpressionReader) throws(LoadError) -> Runbook.ActionSpec {
        let loose = try node.mapping(allowed: nil)
        let kindNode = try loose.required("action")
        let kind = ActionKind(rawValue: try kindNode.oneOf(ActionKind.allCases.map(\.rawValue)))!
        let descriptor = kind.descriptor
        if let refusal = descriptor.runbookRefusal { throw kindNode.error(refusal) }
        let schema = descriptor.parameters
        let fields = try node.mapping(allowed: ["action"] + schema.map(\.name))
        var parameters: [String: Runbook.ParameterValue] = [:]
        for parameter in schema {
            guard let value = fields[parameter.name] else {
                if parameter.required {
                    throw node.error("\(kind.rawValue) needs '\(parameter.name)'")
                }
                continue
            }
            parameters[parameter.name] = try self.parameter(value, shape: parameter.shape, reader: reader)
        }
        if let missing = descriptor.missingParameters(given: Set(parameters.keys)) {
            throw node.error(missing)
        }
        return .init(kind: kind, parameters: parameters, line: node.line, column: node.column)
    }

    private static func parameter(_ node: YAMLNode, shape: ActionParameter.Shape,
                                  reader: ExpressionReader) throws(LoadError) -> Runbook.ParameterValue {
        switch (shape, node.content) {
        case (.template, .scalar), (.templateOrMap, .scalar), (.templateOrList, .scalar):
            return .template(try reader.template(node))
        case (.map, .mapping(let pairs)), (.templateOrMap, .mapping(let pairs)):
            _ = try node.mapping(allowed: nil)  // rejects duplicate and non-string keys
            var entries: [(key: Template, value: Template)] = []
            for (key, value) in pairs {
                entries.append((try reader.template(key), try reader.template(value)))
            }
            return .map(entries)
        case (.list, .sequence), (.templateOrList, .sequence):
            return .list(try node.list().map { node throws(LoadError) in try reader.template(node) })
        default:
            let expected = switch shape {
            case .template: "a string"
            case .map: "a mapping"
            case .list: "a list"
            case .templateOrMap: "a mapping or a {{ expression }}"
            case .templateOrList: "a list or a {{ expression }}"
            }
            throw node.error("expected \(expected), found \(node.kindName)")
        }
    }
}
