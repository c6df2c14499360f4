import Foundation

/// Hands the heap's free pages back to the system. glibc keeps what a program frees in its
/// arenas for reuse; after a large structure goes (a 10,000-pod cluster, before rendering the
/// advice), that memory stays resident, and a later large allocation comes on top of it.
enum FreedMemory {
    static func giveBack() {
        #if canImport(Glibc)
        // `malloc_trim` is glibc's, outside the headers Swift imports.
        typealias Trim = @convention(c) (Int) -> Int32
        if let trim = dlsym(nil, "malloc_trim") { _ = unsafeBitCast(trim, to: Trim.self)(0) }
        #endif
    }
}
