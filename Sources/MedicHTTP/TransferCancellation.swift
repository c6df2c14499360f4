import CCurl
import Foundation

/// Lets a cancelled task stop a transfer running on another thread, including one that is
/// waiting in `curl_multi_poll` for a server that sends nothing: `cancel()` wakes it at once
/// instead of waiting for libcurl's next progress tick.
final class TransferCancellation: @unchecked Sendable {
    // @unchecked: both fields are only touched while holding `lock`, and the multi handle
    // is only woken while attached (the transfer detaches it before cleaning it up).
    private let lock = NSLock()
    private var cancelled = false
    private var multi: UnsafeMutableRawPointer?

    var isCancelled: Bool {
        lock.withLock { cancelled }
    }

    func cancel() {
        lock.withLock {
            cancelled = true
            if let multi {
                curl_multi_wakeup(multi)
            }
        }
    }

    func attach(_ multi: UnsafeMutableRawPointer) {
        lock.withLock { self.multi = multi }
    }

    func detach() {
        lock.withLock { multi = nil }
    }
}
