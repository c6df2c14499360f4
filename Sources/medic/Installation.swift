import Foundation

/// Where the running medic is installed, for the files shipped with it (runbooks, policies).
/// The path comes from the kernel (`/proc/self/exe`), not from `argv[0]`: run through a
/// symlink on PATH, `argv[0]` is just `medic` and says nothing about where the files are.
enum Installation {
    /// The real path of the running binary, every symlink resolved.
    static var executable: URL? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return Bundle.main.executableURL?.resolvingSymlinksInPath()
    }

    /// The first of `relativePaths` that exists beside the binary's directory or one of the
    /// four above it: the repository layout (`.build/<triple>/debug/medic` under the checkout)
    /// and an installed one (`/usr/bin/medic` with `/usr/share/medic/...`).
    static func find(_ relativePaths: [String], directory wanted: Bool) -> URL? {
        guard var directory = executable?.deletingLastPathComponent() else { return nil }
        for _ in 0..<5 {
            for relative in relativePaths {
                let url = directory.appendingPathComponent(relative)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue == wanted {
                    return url
                }
            }
            directory.deleteLastPathComponent()
        }
        return nil
    }
}
