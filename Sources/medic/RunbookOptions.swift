import ArgumentParser
import Foundation
import MedicRunbook

/// Which runbooks a command uses, the same for advise, run, explain, test and lint:
///
/// 1. the built-in runbooks: `$MEDIC_RUNBOOKS` when set (the deployment's ConfigMap), else
///    the `runbooks/` shipped with the binary, found from its real path;
/// 2. plus every `--runbooks DIR`, in order;
/// 3. `--no-builtin-runbooks` drops the built-ins, so only the `--runbooks` directories count.
///
/// A runbook id defined in two files is an error naming both.
struct RunbookOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A directory of your own runbooks, added to the built-in ones (repeatable).", valueName: "dir"))
    var runbooks: [String] = []

    @Flag(name: .customLong("no-builtin-runbooks"), help: "Use only the --runbooks directories, not the built-in runbooks.")
    var noBuiltinRunbooks = false

    func validate() throws {
        if noBuiltinRunbooks, runbooks.isEmpty {
            throw ValidationError("--no-builtin-runbooks needs at least one --runbooks DIR: there would be no runbooks")
        }
    }

    /// The directories to read, built-ins first.
    func directories() throws(InputError) -> [URL] {
        var directories: [URL] = []
        if !noBuiltinRunbooks { directories.append(try Self.builtIn()) }
        for path in runbooks {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(description: "medic: --runbooks \(path): no such directory; expected a directory of runbooks (*.yaml)")
            }
            guard isDirectory.boolValue else {
                throw InputError(description: "medic: --runbooks \(path) is a file; it takes a directory of runbook "
                    + "files (*.yaml)")
            }
            directories.append(URL(fileURLWithPath: path))
        }
        return directories
    }

    /// Every runbook of every directory; an error when there is none at all.
    func load() throws(InputError) -> [Runbook] {
        let directories = try directories()
        let loaded: [Runbook]
        do {
            loaded = try RunbookLoader.loadDirectories(directories)
        } catch {
            throw InputError(description: "medic: runbook error: \(error)")
        }
        guard !loaded.isEmpty else {
            throw InputError(description: "medic: no runbooks (*.yaml) in \(directories.map(\.path).joined(separator: ", "))")
        }
        return loaded
    }

    /// The built-in runbooks' directory.
    static func builtIn() throws(InputError) -> URL {
        if let fromEnvironment = ProcessInfo.processInfo.environment["MEDIC_RUNBOOKS"], !fromEnvironment.isEmpty {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: fromEnvironment, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw InputError(description: "medic: MEDIC_RUNBOOKS=\(fromEnvironment) is not a directory; point it at "
                    + "a directory of runbook files (*.yaml), or unset it to use the runbooks shipped with medic")
            }
            return URL(fileURLWithPath: fromEnvironment)
        }
        if let shipped = Installation.find(["runbooks", "share/medic/runbooks"], directory: true) { return shipped }
        let binary = Installation.executable?.path ?? "the medic binary"
        throw InputError(description: "medic: cannot find the built-in runbooks (no runbooks/ or share/medic/runbooks/ "
            + "beside or above \(binary)); set MEDIC_RUNBOOKS to their directory, or pass --no-builtin-runbooks "
            + "with --runbooks DIR")
    }
}
