import Foundation

/// deploy/Dockerfile read as instructions and stages (no Docker engine needed): enough to
/// check what the image is built from and what it runs as.
struct Dockerfile {
    struct Instruction: Equatable {
        var keyword: String
        var arguments: String
    }

    struct Stage {
        var base: String
        var name: String?
        var instructions: [Instruction]

        func all(_ keyword: String) -> [String] {
            instructions.filter { $0.keyword == keyword }.map(\.arguments)
        }
    }

    var arguments: [String: String] = [:]
    var stages: [Stage] = []

    init(text: String) {
        var logical: [String] = []
        var pending = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty && (trimmed.isEmpty || trimmed.hasPrefix("#")) { continue }
            if trimmed.hasPrefix("#") { continue }
            if trimmed.hasSuffix("\\") {
                pending += trimmed.dropLast().trimmingCharacters(in: .whitespaces) + " "
            } else {
                logical.append(pending + trimmed)
                pending = ""
            }
        }
        for line in logical {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let instruction = Instruction(keyword: parts[0].uppercased(), arguments: parts.count > 1 ? parts[1] : "")
            if instruction.keyword == "FROM" {
                let words = instruction.arguments.split(separator: " ").map(String.init)
                let base = words[0].replacingOccurrences(of: "${SWIFT_VERSION}", with: arguments["SWIFT_VERSION"] ?? "")
                stages.append(Stage(base: base, name: words.count == 3 && words[1].uppercased() == "AS" ? words[2] : nil,
                                    instructions: []))
            } else if stages.isEmpty, instruction.keyword == "ARG" {
                let pair = instruction.arguments.split(separator: "=", maxSplits: 1).map(String.init)
                arguments[pair[0]] = pair.count > 1 ? pair[1] : ""
            } else if !stages.isEmpty {
                stages[stages.count - 1].instructions.append(instruction)
            }
        }
    }

    static func load() throws -> Dockerfile {
        Dockerfile(text: try String(contentsOf: Repository.deploy.appendingPathComponent("Dockerfile"), encoding: .utf8))
    }
}
