import Testing
@testable import MedicKube

@Suite struct RedactionTests {
    @Test func secretsAreMaskedAndTheRestStays() {
        let cases: [(String, String)] = [
            ("DATABASE_URL=postgres://orders:hunter2@db:5432/orders", "DATABASE_URL=postgres://orders:****@db:5432/orders"),
            ("dial amqp://guest:guest@rabbitmq:5672/", "dial amqp://guest:****@rabbitmq:5672/"),
            ("DB_PASSWORD=s3cr3t MODE=fast", "DB_PASSWORD=**** MODE=fast"),
            ("stripe_api_key='sk_live_abc' ok", "stripe_api_key=**** ok"),
            (#"{"apiToken": "abc.def", "user": "x"}"#, #"{"apiToken": "****", "user": "x"}"#),
            ("Authorization: Bearer abcdefghijklmnop", "Authorization: Bearer ****"),
            ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U seen",
             "token **** seen"),
            ("key AKIAIOSFODNN7EXAMPLE used", "key **** used"),
            ("SLACK=xoxb-123456789012-abcdefghijkl ok", "SLACK=**** ok"),
            ("auth ghp_abcdefghijklmnopqrstuvwxyz0123456789 ok", "auth **** ok"),
            ("STRIPE=sk_live_4eC39HqLyjWDarjtT1zdp7dc9Z ok", "STRIPE=**** ok"),
            ("hook https://hooks.example/services/T0001/B0001/Xk3j9Qm2Lp8Rt5Vw7Yz1Ab4Cd6Ef0Gh2",
             "hook https://hooks.example/services/T0001/B0001/****"),
        ]
        for (text, expected) in cases {
            #expect(Redaction.redact(text) == expected)
        }
    }

    /// Skipping a rule whose words the text lacks changes nothing: on 20,000 texts built from
    /// the rules' own pieces, in any case and order, both ways give the same result.
    @Test func skippingRulesThatCannotMatchChangesNothing() {
        let pieces = ["postgres://", "u", ":", "p@ss", "@", "host", " ", "=", "DB_PASSWORD", "Api-Key", "x.pwd",
                      "\"secretValue\"", "\"", ": ", "Bearer ", "BASIC ", "abcdefghij", "eyJ", "eyJabcdefghij.",
                      "AKIA", "ASIA", "ABCDEFGHIJKLMNOP", "credentials", "Token", "K", "\u{212A}ey", ",", "'", "/",
                      "xoxb-", "ghp_", "Ab1Cd2Ef3Gh4Ij5K", "0123456789abcdef", "=="]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 1...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
                .joined()
            let expected = Redaction.redact(text, skippingRulesThatCannotMatch: false)
            #expect(Redaction.redact(text) == expected, "\(text)")
        }
    }

    /// Records are masked where they are made and again where they are written: the second
    /// time changes nothing (a mask followed by a bracket kept its bracket).
    @Test func maskingTwiceChangesNothing() {
        for text in ["not applied (resolved by alice: checked with token=s3cr3t)", "DB_PASSWORD=x; dial postgres://u:p@h/db",
                     "Authorization: Bearer abcdefghijklmnop", "PAYMENTS=sk_live_4eC39HqLyjWDarjtT1zdp7dc9Z)"] {
            let once = Redaction.redact(text)
            #expect(Redaction.redact(once) == once, "\(text)")
        }
        #expect(Redaction.redact("(token=****)") == "(token=****)")
    }

    @Test func ordinaryTextIsUntouched() {
        for text in [
            "image registry.example/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "CHAOS_FAILURE_RATE=0.5", "AUTH_SERVICE_URL=http://auth:8080/login", "http://user@host/path",
            "password authentication failed for user \"orders\"", "TOKEN_TTL is not set",
            "pod api-service-7d9f8b6c5d-x2x4z uid 0f3c2a1e-8b7d-4c6e-9a5f-1b2c3d4e5f60",
            "org.springframework.web.servlet.DispatcherServlet failed",
            "/tmp/medic-reload-8F2A3B4C-1D2E-4F5A-9B8C-7D6E5F4A3B2C/policy.yaml:6:9: spec.mode",
        ] {
            #expect(Redaction.redact(text) == text)
        }
    }
}
