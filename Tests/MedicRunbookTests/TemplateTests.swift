import Foundation
import Testing

@testable import MedicRunbook

@Suite struct TemplateTests {
    let bindings: [String: CELValue] = [
        "workload": ["name": "auth-service", "namespace": "prod"],
        "c": ["name": "api", "restartCount": 3, "ratio": 0.93, "limits": ["memory": "256Mi"]],
    ]

    @Test func plainTextRendersAsIs() throws {
        let template = try Template("no holes here { } }}")
        #expect(try template.render(bindings) == "no holes here { } }}")
        #expect(try template.evaluate(bindings) == "no holes here { } }}")
        #expect(template.expressions.isEmpty)
        #expect(try Template("").render([:]) == "")
    }

    @Test func severalExpressions() throws {
        let template = try Template("{{ c.name }} in {{ workload.name }} restarted {{ c.restartCount }}x ({{c.ratio}})")
        #expect(try template.render(bindings) == "api in auth-service restarted 3x (0.93)")
        #expect(try template.evaluate(bindings) == "api in auth-service restarted 3x (0.93)")
        #expect(template.expressions.map(\.source) == [" c.name ", " workload.name ", " c.restartCount ", "c.ratio"])
        #expect(try Template("{{ 1 }}{{ 2 }}").evaluate([:]) == "12")
    }

    @Test func singleExpressionYieldsTheRawValue() throws {
        #expect(try Template("{{ c.limits }}").evaluate(bindings) == ["memory": "256Mi"])
        #expect(try Template("  {{ c.restartCount * 2 }}\n").evaluate(bindings) == 6)
        #expect(try Template("{{ c.limits }}").render(bindings) == #"{"memory":"256Mi"}"#)
        #expect(try Template("limit: {{ c.limits }}").evaluate(bindings) == #"limit: {"memory":"256Mi"}"#)
    }

    @Test func bracesInsideExpressions() throws {
        #expect(try Template(#"{{ {"a": {"b": 1}}.a.b }}"#).evaluate([:]) == 1)
        #expect(try Template(#"[{{ "}}" + '{{' }}]"#).render([:]) == "[}}{{]")
        #expect(try Template(#"{{ "{{" }} literal"#).render([:]) == "{{ literal")
    }

    @Test func unterminatedHoleIsASyntaxErrorAtItsStart() {
        #expect(throws: CELError.self) { try Template("a {{ b") }
        do {
            _ = try Template("line one\nsee {{ c.name ")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .syntax)
            #expect(error.description == "2:5: unterminated '{{' (no matching '}}')")
            #expect(error.offset == 13)
        }
    }

    @Test func emptyHoleIsAnError() {
        do {
            _ = try Template("x {{  }}")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "1:3: empty '{{ }}'")
        }
    }

    @Test func errorsPointIntoTheTemplate() {
        do {
            _ = try Template("name: {{ c.name ==  }}")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .syntax)
            #expect(error.description == "1:21: unexpected end of expression")
        }
        do {
            _ = try Template("ok\n{{ c.name }} {{ c.nope }}").render(bindings)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .evaluation)
            #expect(error.description == "2:19: no such key: nope")
        }
    }
}
