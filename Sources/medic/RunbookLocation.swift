import Foundation

/// Where the built-in runbooks are when `--runbooks` is not given: `$MEDIC_RUNBOOKS`, then a
/// `runbooks/` directory beside or above the medic binary (the repository layout, where the
/// binary lives in `.build/<config>/`, and an installed layout such as `/usr/share/medic`),
/// then `./runbooks`. So `medic advise` works from any directory.
enum RunbookLocation {
    static func resolve(_ explicit: String?) throws -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        let environment = ProcessInfo.processInfo.environment
        if let fromEnvironment = environment["MEDIC_RUNBOOKS"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<5 {
            for candidate in ["runbooks", "share/medic/runbooks"] {
                let url = directory.appendingPathComponent(candidate)
                if isDirectory(url) { return url }
            }
            directory.deleteLastPathComponent()
        }
        let local = URL(fileURLWithPath: "runbooks")
        if isDirectory(local) { return local }
        throw InputError(description: "medic: cannot find the runbooks directory; pass --runbooks DIR or set MEDIC_RUNBOOKS")
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
    }
}
