import Foundation

/// One input format medic reads from files, the network or a plugin, driven with arbitrary
/// bytes. The same body runs under libFuzzer (`Fuzz/`, `bench/fuzz.sh`) and in the corpus
/// replay of `make test`, so a crash found by fuzzing stays a regression test without sanitizers.
///
/// A body may throw inside the parser as much as it likes: a rejected input is fine. What it
/// returns is a broken promise the parser made about its answer (an error placed outside the
/// input, say); crashes, traps and hangs are found by running it.
public struct FuzzTarget: Sendable {
    public let name: String
    private let body: @Sendable (Data) -> FuzzViolation?

    public init(name: String, body: @escaping @Sendable (Data) -> FuzzViolation?) {
        self.name = name
        self.body = body
    }

    /// Feeds one input; nil when the parser kept its promises.
    public func run(_ input: Data) -> FuzzViolation? { body(input) }

    /// The target the environment variable MEDIC_FUZZ_TARGET names, for a libFuzzer
    /// executable, which gets no arguments of its own.
    public static func selected(from targets: [FuzzTarget]) -> FuzzTarget {
        let name = ProcessInfo.processInfo.environment["MEDIC_FUZZ_TARGET"] ?? ""
        guard let target = targets.first(where: { $0.name == name }) else {
            fatalError("MEDIC_FUZZ_TARGET must be one of \(targets.map(\.name)), not \"\(name)\"")
        }
        return target
    }

    /// The targets whose parsers live below the servers: cheap to build with sanitizers.
    public static let parsers: [FuzzTarget] = [
        .runbook, .policy, .runbookTest, .cel, .kubeconfig, .execCredential, .snapshot, .apiJSON, .tape, .prometheus,
    ]
}

/// A parser's answer that breaks a promise it makes, such as an error located past the input.
public struct FuzzViolation: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// Where an input's error may point: its lines count from 1, and one past the last line is the
/// end of the input (a missing field at the end of the file). Lines end where YAML says they
/// do (libyaml counts a lone CR, NEL, LS and PS too), so this is an upper bound for JSON.
struct InputExtent {
    let lines: Int

    init(_ text: String) {
        var lines = 1
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where previous == "\r": break
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": lines += 1
            default: break
            }
            previous = scalar
        }
        self.lines = lines
    }

    /// `line` 0 means "the whole file"; otherwise it must fall in the input.
    func check(line: Int, column: Int, in description: String) -> FuzzViolation? {
        guard line >= 0, line <= lines + 1, column >= 0 else {
            return FuzzViolation("error at \(line):\(column) outside an input of \(lines) lines: \(description)")
        }
        return nil
    }
}
