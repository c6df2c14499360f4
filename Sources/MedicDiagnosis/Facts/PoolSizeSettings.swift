/// Environment variables that size a database connection pool (`DB_POOL_SIZE`,
/// `DATABASE_MAX_CONNECTIONS`, `POOL_SIZE`, …) with a literal whole-number value. When traffic,
/// not a leak, exhausts a pool, this is the knob to raise; without exactly one, medic only advises.
public enum PoolSizeSettings {
    public static func isPoolSizeName(_ name: String) -> Bool {
        let upper = name.uppercased()
        return upper.hasSuffix("POOL_SIZE") || upper.hasSuffix("POOL_MAX") || upper.hasSuffix("MAX_POOL_SIZE")
            || ((upper.hasPrefix("DB_") || upper.hasPrefix("DATABASE_")) && upper.hasSuffix("MAX_CONNECTIONS"))
    }

    public static func settings(in env: [(name: String, value: String?)]) -> [(name: String, value: Int)] {
        env.compactMap { variable in
            guard isPoolSizeName(variable.name), let text = variable.value, let value = Int(text), value > 0
            else { return nil }
            return (variable.name, value)
        }
    }
}
