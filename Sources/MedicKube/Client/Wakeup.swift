import Synchronization

/// A signal one waiter (the controller loop) awaits: `signal()` ends the current `wait()`, or
/// the next one at once when nobody waits, and signals meanwhile fold into one. A
/// continuation, not an AsyncStream: cancelling a task that waits on a stream's iterator ends
/// the stream, and the loop cancels its wait every interval. Synchronous to signal, so an
/// actor's synchronous code (a webhook's intake, a watch event) can wake the loop.
public final class Wakeup: Sendable {
    private struct State {
        /// A signal that came while nobody waited: the next `wait` returns at once.
        var pending = false
        var waiter: (id: Int, continuation: CheckedContinuation<Void, Never>)?
        /// Numbers the waits, so a cancellation ends the one it was meant for.
        var waits = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func signal() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            if state.waiter == nil { state.pending = true }
            return state.waiter
        }
        waiter?.continuation.resume()
    }

    /// Returns at the next signal (or at once for one that came since the last return), early
    /// when the task is cancelled.
    public func wait() async {
        let wait: Int? = state.withLock { state in
            if state.pending || Task.isCancelled {
                state.pending = false
                return nil
            }
            state.waits += 1
            return state.waits
        }
        guard let wait else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let replaced = state.withLock { state -> CheckedContinuation<Void, Never>? in
                    // Cancelled before this wait was installed: the handler has run and found nothing.
                    if Task.isCancelled { return continuation }
                    defer { state.waiter = (wait, continuation) }
                    return state.waiter?.continuation
                }
                replaced?.resume()
            }
        } onCancel: {
            end(wait)
        }
    }

    /// Ends wait number `wait` only: a late cancellation must not end the loop's next wait.
    private func end(_ wait: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter, waiter.id == wait else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }
}
