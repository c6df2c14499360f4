import MedicKube

/// One parameter of an action as a runbook writes it under `remediate`.
public struct ActionParameter: Sendable, Equatable {
    /// The YAML shapes a parameter accepts.
    public enum Shape: Sendable, Equatable { case template, map, list, templateOrMap, templateOrList }

    public var name: String
    public var shape: Shape
    public var required: Bool

    public init(_ name: String, _ shape: Shape = .template, required: Bool) {
        self.name = name
        self.shape = shape
        self.required = required
    }
}

/// A runbook's `remediate` values, evaluated for one finding, as definite values: MedicDiagnosis
/// implements it over the finding's bindings. Each read throws when the value is missing or
/// not of the asked type, with the sentence the finding's `notify` then carries.
public protocol RunbookValues {
    func optionalString(_ name: String) throws(ActionBuildError) -> String?
    func string(_ name: String) throws(ActionBuildError) -> String
    func optionalInt(_ name: String) throws(ActionBuildError) -> Int?
    func int(_ name: String) throws(ActionBuildError) -> Int
    /// A port number or a port name.
    func port(_ name: String) throws(ActionBuildError) -> IntOrString
    /// Key/value pairs in the runbook's order; empty when absent.
    func optionalMap(_ name: String) throws(ActionBuildError) -> [(key: String, value: String)]
    /// As `optionalMap`, refusing an absent or empty map.
    func map(_ name: String) throws(ActionBuildError) -> [(key: String, value: String)]
    func list(_ name: String) throws(ActionBuildError) -> [String]
    /// The selector keys of the Service the finding is about; empty without one.
    var serviceSelectorKeys: [String] { get }
    /// The `spec.ports` of the Service the finding is about; empty without one.
    var servicePorts: [ServicePort] { get }
}

/// Why a runbook's action could not be built for a finding: the finding then carries a
/// `notify` with this sentence.
public struct ActionBuildError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension Remediation {
    /// `action` on `target`, validated: what every descriptor's builder ends with.
    static func validated(_ target: ObjectRef, _ action: Action) throws(ActionBuildError) -> Remediation {
        let remediation = Remediation(target: target, action: action)
        do {
            try remediation.validate()
        } catch {
            throw ActionBuildError(error.description)
        }
        return remediation
    }
}
