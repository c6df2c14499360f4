import MedicKube

/// `set-image`: run a different image in one container, e.g. back to the last tag that pulled.
public struct SetImage: ActionDescriptor {
    public let container: String
    public let image: String

    public static var kind: ActionKind { .setImage }
    public static let parameters = [ActionParameter("container", required: true), ActionParameter("image", required: true)]
    public static let permissions = APIPermission.on(TargetKind.workloads, "get", "patch")
    public static let example = SetImage(container: "app", image: "registry.example.com/app:2")

    public static func remediation(from values: some RunbookValues, target: ObjectRef) throws(ActionBuildError) -> Remediation {
        try .validated(target, .setImage(container: try values.string("container"), image: try values.string("image")))
    }

    public var reversal: Reversal { .restoreContainerField("image") }
    public var containerName: String? { container }

    public func validate(_ validator: Validator) throws(RemediationError) {
        try validator.requireWorkload()
        try validator.dnsLabel(container, "container name")
        try validator.nonEmpty(image, "image")
        try validator.argumentValue(image, "image")
        if image.contains("=") {
            throw validator.refuse("image \(validator.quoted(image)) contains \"=\", so kubectl would misread CONTAINER=IMAGE")
        }
        if image.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            throw validator.refuse("image \(validator.quoted(image)) contains whitespace or control characters; no image reference does")
        }
    }

    public func arguments(for target: ObjectRef) -> [String] {
        ["set", "image", target.kubectlTypeAndName, "\(container)=\(image)"]
    }

    public func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        try PodTemplatePatch.request(actionType: "set-image", target: target, container: container, current: current, options: options) { live in
            live.image == image ? [:] : ["image": .string(image)]
        }
    }
}

extension ActionKind {
    public static let setImage = ActionKind("set-image")
}

extension Action {
    public static func setImage(container: String, image: String) -> Action {
        Action(SetImage(container: container, image: image))
    }
}
