import MedicKube

/// One action's three renderings. Each action lives in its own file conforming to this, and
/// `Action.renderer` is the registry that maps cases to them.
protocol ActionRendering: Sendable {
    /// Refuses parameters and targets the renderings cannot carry safely.
    func validate(_ validator: Validator) throws(RemediationError)
    /// kubectl's arguments after `kubectl -n NAMESPACE`.
    func arguments(for target: ObjectRef) -> [String]
    /// The request with the command's effect, or nil when kubectl would send nothing because
    /// nothing would change. `current` is the live pod template, for actions whose body is a diff.
    func request(for target: ObjectRef, current: PodTemplateSnapshot?, options: RequestOptions) throws(RemediationError) -> APIRequest?
}
