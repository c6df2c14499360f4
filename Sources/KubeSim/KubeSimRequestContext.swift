import Hummingbird
import NIOCore

/// Hummingbird's request context plus the connection, so authentication can ask TLS for
/// the client certificate the peer presented.
struct KubeSimRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
