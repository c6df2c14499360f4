import MedicKube

/// What a pod asks of a node and of its namespace's quota: the effective requests and
/// limits the scheduler and the ResourceQuota admission plugin compute from its containers.
///
/// A container's request defaults to its limit when only the limit is set (the apiserver's
/// defaulting); the pod's value is the larger of the sum over its containers and the largest
/// init container, as `resourcehelper.PodRequests` computes it.
struct PodResources: Sendable, Equatable {
    var cpuRequest: Int64 = 0
    var memoryRequest: Int64 = 0
    var cpuLimit: Int64 = 0
    var memoryLimit: Int64 = 0
    /// Names of containers without a CPU / memory limit (quota on limits needs every one).
    var containersWithoutCPULimit: [String] = []
    var containersWithoutMemoryLimit: [String] = []
    var containersWithoutCPURequest: [String] = []
    var containersWithoutMemoryRequest: [String] = []

    init(pod: JSON) {
        let spec = pod["spec"] ?? [:]
        var sum = Amounts()
        for container in spec["containers"]?.array ?? [] {
            let amounts = Amounts(container: container)
            sum.add(amounts)
            let name = container["name"]?.string ?? ""
            if !amounts.hasCPULimit { containersWithoutCPULimit.append(name) }
            if !amounts.hasMemoryLimit { containersWithoutMemoryLimit.append(name) }
            if !amounts.hasCPURequest { containersWithoutCPURequest.append(name) }
            if !amounts.hasMemoryRequest { containersWithoutMemoryRequest.append(name) }
        }
        for container in spec["initContainers"]?.array ?? [] {
            sum.raise(to: Amounts(container: container))
        }
        cpuRequest = sum.cpuRequest
        memoryRequest = sum.memoryRequest
        cpuLimit = sum.cpuLimit
        memoryLimit = sum.memoryLimit
    }

    /// One container's resources, limits standing in for missing requests.
    private struct Amounts {
        var cpuRequest: Int64 = 0
        var memoryRequest: Int64 = 0
        var cpuLimit: Int64 = 0
        var memoryLimit: Int64 = 0
        var hasCPULimit = false
        var hasMemoryLimit = false
        var hasCPURequest = false
        var hasMemoryRequest = false

        init() {}

        init(container: JSON) {
            let resources = container["resources"] ?? [:]
            let cpuLimit = PodResources.millicores(resources[path: ["limits", "cpu"]])
            let memoryLimit = PodResources.bytes(resources[path: ["limits", "memory"]])
            let cpuRequest = PodResources.millicores(resources[path: ["requests", "cpu"]])
            let memoryRequest = PodResources.bytes(resources[path: ["requests", "memory"]])
            hasCPULimit = cpuLimit != nil
            hasMemoryLimit = memoryLimit != nil
            hasCPURequest = cpuRequest != nil || cpuLimit != nil
            hasMemoryRequest = memoryRequest != nil || memoryLimit != nil
            self.cpuLimit = cpuLimit ?? 0
            self.memoryLimit = memoryLimit ?? 0
            self.cpuRequest = cpuRequest ?? cpuLimit ?? 0
            self.memoryRequest = memoryRequest ?? memoryLimit ?? 0
        }

        mutating func add(_ other: Amounts) {
            cpuRequest += other.cpuRequest
            memoryRequest += other.memoryRequest
            cpuLimit += other.cpuLimit
            memoryLimit += other.memoryLimit
        }

        mutating func raise(to other: Amounts) {
            cpuRequest = max(cpuRequest, other.cpuRequest)
            memoryRequest = max(memoryRequest, other.memoryRequest)
            cpuLimit = max(cpuLimit, other.cpuLimit)
            memoryLimit = max(memoryLimit, other.memoryLimit)
        }
    }

    static func millicores(_ value: JSON?) -> Int64? {
        switch value {
        case .string(let text)?: try? Quantity.millicores(text)
        case .int(let number)?: number * 1000
        case .double(let number)?: Int64((number * 1000).rounded(.up))
        default: nil
        }
    }

    static func bytes(_ value: JSON?) -> Int64? {
        switch value {
        case .string(let text)?: try? Quantity.bytes(text)
        case .int(let number)?: number
        case .double(let number)?: Int64(number.rounded(.up))
        default: nil
        }
    }
}
