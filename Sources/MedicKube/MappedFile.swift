import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file mapped read-only into memory, whose pages can be given back once read: a snapshot of
/// hundreds of megabytes is then never resident all at once (the kernel reads a dropped page
/// back from its cache if it is touched again). Sendable because nothing in it changes after
/// `init` and `madvise` may be called from any thread.
final class MappedFile: @unchecked Sendable {
    private let base: UnsafeMutableRawPointer?
    let count: Int
    private let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// nil when the file cannot be opened or mapped; the caller then reads it the ordinary way,
    /// which also says why it could not.
    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        count = Int(status.st_size)
        guard count > 0 else {
            base = nil
            return
        }
        guard let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else { return nil }
        base = mapped
        madvise(mapped, count, MADV_SEQUENTIAL)
    }

    deinit {
        if let base { munmap(base, count) }
    }

    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Drops the whole pages inside `range` from memory; reading them again is still valid.
    func release(_ range: Range<Int>) {
        guard let base else { return }
        let start = (range.lowerBound + pageSize - 1) / pageSize * pageSize
        let end = range.upperBound / pageSize * pageSize
        guard end > start else { return }
        madvise(base + start, end - start, MADV_DONTNEED)
    }

    /// The bytes as `Data`, valid while this file is alive.
    var data: Data {
        guard let base else { return Data() }
        return Data(bytesNoCopy: base, count: count, deallocator: .none)
    }
}
