import Foundation

/// Caps glibc's malloc at two arenas. glibc gives each thread that meets contention on the heap
/// an arena of its own, up to eight per core, and each arena keeps what was freed in it for
/// reuse. `medic run` decodes, joins and reports on whichever threads of the concurrency pool,
/// the event loops and libcurl's run a pass, and frees the last pass's: the freed memory piles
/// up once in every arena. On the 10,000-pod benchmark peak RSS went from 273 MB to 198 MB
/// with two arenas, at the same CPU (when each pass still rebuilt the whole joined view); the
/// heap itself peaked at 131 MB.
enum MallocArenas {
    enum Outcome: Equatable {
        case limited(to: Int32)
        /// The operator set MALLOC_ARENA_MAX: glibc already follows it.
        case leftToTheEnvironment(String)
        /// Not glibc, or it refused.
        case unavailable
    }

    static let arenas: Int32 = 2

    @discardableResult
    static func limit(environment: [String: String] = ProcessInfo.processInfo.environment) -> Outcome {
        if let set = environment["MALLOC_ARENA_MAX"] { return .leftToTheEnvironment(set) }
        #if canImport(Glibc)
        // `mallopt` is glibc's, outside the headers Swift imports; M_ARENA_MAX is -8 in <malloc.h>.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let mallopt = dlsym(nil, "mallopt"), unsafeBitCast(mallopt, to: Mallopt.self)(-8, arenas) == 1 else {
            return .unavailable
        }
        return .limited(to: arenas)
        #else
        return .unavailable
        #endif
    }
}
