import ArgumentParser
struct LintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lint")
    func run() async throws {}
}
