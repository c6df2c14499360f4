import MedicKube

/// `set-image`: run a different image in one container, e.g. back to the last tag that pulled.
struct SetImage: ActionRendering {
    let container: String
    let image: String

    func validate(_ validator: Validator) throws(RemediationError) {
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

    func arguments(for target: ObjectRef) -> [String] {
        ["set", "image", target.kubectlTypeAndName, "\(container)=\(image)"]
    }

    func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest? {
        try PodTemplatePatch.request(actionType: "set-image", target: target, container: container, current: current, options: options) { live in
            live.image == image ? [:] : ["image": .string(image)]
        }
    }
}
