import MedicKube
import MedicRemediation
import MedicRunbook

/// Fills a runbook's action template in for one finding. Any parameter that does not come out
/// as a definite value (null, the wrong type, an expression error) stops the action: the
/// finding then carries a `notify` that says why, because medic never guesses a value.
enum ActionBuilder {
    typealias Failure = ActionBuildError

    static func build(_ spec: Runbook.ActionSpec, target: ObjectRef, bindings: [String: CELValue],
                      functions: CELFunctionTable, reads: CELReadLog? = nil) throws(Failure) -> Remediation {
        try spec.kind.descriptor.remediation(from: ParameterReader(spec: spec, bindings: bindings, functions: functions, reads: reads),
                                             target: target)
    }
}

/// Evaluates one action's parameters to definite values.
private struct ParameterReader: RunbookValues {
    let spec: Runbook.ActionSpec
    let bindings: [String: CELValue]
    let functions: CELFunctionTable
    let reads: CELReadLog?

    typealias Failure = ActionBuildError

    var serviceSelectorKeys: [String] {
        guard case .map(let service)? = bindings["service"], case .map(let selector)? = service["selector"] else { return [] }
        return Array(selector.keys)
    }

    /// `service.ports` of the bindings as the Service's `spec.ports`, for actions that name a
    /// port of it.
    var servicePorts: [ServicePort] {
        guard case .map(let service)? = bindings["service"], case .list(let ports)? = service["ports"] else { return [] }
        return ports.compactMap { entry -> ServicePort? in
            guard case .map(let fields) = entry, case .int(let number)? = fields["port"] else { return nil }
            let name: String? = if case .string(let text)? = fields["name"], !text.isEmpty { text } else { nil }
            let target: IntOrString? = switch fields["targetPort"] {
            case .int(let value)?: .int(Int(value))
            case .string(let value)?: .string(value)
            default: nil
            }
            return ServicePort(name: name, port: Int(number), targetPort: target)
        }
    }

    private func value(_ template: Template, _ name: String) throws(Failure) -> CELValue {
        do {
            return try template.evaluate(bindings, functions: functions, reads: reads)
        } catch {
            throw Failure("\(name): \(error.message)")
        }
    }

    private func text(_ value: CELValue, _ name: String) throws(Failure) -> String {
        switch value {
        case .null: throw Failure("\(name) has no value")
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number) where number == number.rounded() && abs(number) < 1e15: return String(Int64(number))
        case .double(let number): return String(number)
        case .bool(let flag): return String(flag)
        default: throw Failure("\(name) is not a single value")
        }
    }

    func optionalString(_ name: String) throws(Failure) -> String? {
        guard case .template(let template)? = spec.parameters[name] else { return nil }
        return try text(value(template, name), name)
    }

    func string(_ name: String) throws(Failure) -> String {
        guard let text = try optionalString(name) else { throw Failure("\(name) is missing") }
        return text
    }

    func optionalInt(_ name: String) throws(Failure) -> Int? {
        guard case .template(let template)? = spec.parameters[name] else { return nil }
        switch try value(template, name) {
        case .int(let number): return Int(number)
        case .double(let number) where number == number.rounded() && abs(number) < 1e15: return Int(number)
        case .string(let text) where Int(text) != nil: return Int(text)
        case .null: throw Failure("\(name) has no value")
        case let other: throw Failure("\(name) is not a whole number (\(other))")
        }
    }

    func int(_ name: String) throws(Failure) -> Int {
        guard let number = try optionalInt(name) else { throw Failure("\(name) is missing") }
        return number
    }

    /// A port number or a port name: a whole number, or text of digits only, is a number
    /// (a port name must hold a letter); any other text is a name.
    func port(_ name: String) throws(Failure) -> IntOrString {
        guard case .template(let template)? = spec.parameters[name] else { throw Failure("\(name) is missing") }
        switch try value(template, name) {
        case .int(let number) where Int(exactly: number) != nil: return .int(Int(number))
        case .double(let number) where number == number.rounded() && abs(number) < 1e15: return .int(Int(number))
        case .string(let text) where !text.isEmpty && text.utf8.allSatisfy({ (0x30...0x39).contains($0) }):
            guard let number = Int(text) else { throw Failure("\(name) \(text) is not a port number") }
            return .int(number)
        case .string(let text): return .string(text)
        case .null: throw Failure("\(name) has no value")
        case let other: throw Failure("\(name) is not a port number or name (\(other))")
        }
    }

    func optionalMap(_ name: String) throws(Failure) -> [(key: String, value: String)] {
        switch spec.parameters[name] {
        case nil: return []
        case .map(let entries)?:
            var result: [(key: String, value: String)] = []
            for entry in entries {
                let key = try text(value(entry.key, name), "a key of \(name)")
                result.append((key, try text(value(entry.value, "\(name).\(key)"), "\(name).\(key)")))
            }
            return result
        case .template(let template)?:
            guard case .map(let map) = try value(template, name) else {
                throw Failure("\(name) is not a mapping")
            }
            var result: [(key: String, value: String)] = []
            for key in map.keys.sorted() { result.append((key, try text(map[key]!, "\(name).\(key)"))) }
            return result
        case .list?:
            throw Failure("\(name) is not a mapping")
        }
    }

    func map(_ name: String) throws(Failure) -> [(key: String, value: String)] {
        let entries = try optionalMap(name)
        guard !entries.isEmpty else { throw Failure("\(name) is empty") }
        return entries
    }

    func list(_ name: String) throws(Failure) -> [String] {
        switch spec.parameters[name] {
        case .list(let templates)?:
            var result: [String] = []
            for template in templates { result.append(try text(value(template, name), name)) }
            return result
        case .template(let template)?:
            let evaluated = try value(template, name)
            guard case .list(let items) = evaluated else { return [try text(evaluated, name)] }
            var result: [String] = []
            for item in items { result.append(try text(item, name)) }
            return result
        default:
            throw Failure("\(name) is missing")
        }
    }
}
