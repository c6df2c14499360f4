import MedicKube

/// `notify`: tell a human; changes nothing. What a finding carries when medic cannot fix it
/// safely, so it never guesses a value.
public struct Notify: ActionDescriptor {
    public let message: String

    public static var kind: ActionKind { .notify }
    public static var isMutating: Bool { false }
    public static let parameters = [ActionParameter("message", required: true)]
    public static let permissions: [APIPermission] = []
    public static let example = Notify(message: "look at this")

    public static func remediation(from values: some RunbookValues, target: ObjectRef) throws(ActionBuildError) -> Remediation {
        try .validated(target, .notify(message: try values.string("message")))
    }

    public func validate(_ validator: Validator) throws(RemediationError) {
        try validator.nonEmpty(message, "notify message")
        try validator.argumentValue(message, "notify message")
    }

    public func arguments(for target: ObjectRef) -> [String] { [] }

    public func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        throw RemediationError(.notRenderable, "notify on \(target) changes nothing, so there is no request to send")
    }

    public var reversal: Reversal { .nothingChanged }
}

extension ActionKind {
    public static let notify = ActionKind("notify")
}

extension Action {
    public static func notify(message: String) -> Action { Action(Notify(message: message)) }
}
