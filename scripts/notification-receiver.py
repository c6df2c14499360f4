#!/usr/bin/env python3
"""A local stand-in for Slack, PagerDuty and a JSON webhook, for tests and the demo.

It listens on 127.0.0.1 only, checks every body it receives against the receiving service's
documented format (Slack incoming webhooks with Block Kit, PagerDuty Events API v2, medic's
`medic.io/v1` Notification), answers as that service does (Slack: 200 "ok" or 400 with an
error word; PagerDuty: 202 or 400 with errors), and keeps what it got for `GET /received`.
It is written apart from medic on purpose: it shares no code with what it checks.

    notification-receiver.py [--port-file F] [--record F] [--exit-after S] [--token T]
                             [--fail-first PATH=N] [--throttle-first PATH=N]

  /slack                  Slack incoming webhook
  /pagerduty/v2/enqueue   PagerDuty Events API v2
  /webhook                medic's JSON webhook (Bearer --token when given)
  GET /received           every request so far, with the problems found in each
"""
import argparse, datetime, json, os, signal, threading, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SEVERITIES = {"critical", "error", "warning", "info"}
MEDIC_EVENTS = {"finding", "proposal", "action", "verification", "escalation", "resolved"}
MEDIC_SEVERITIES = {"critical", "high", "medium", "low"}


def rfc3339(text):
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return True
    except (ValueError, AttributeError):
        return False


def text_object(obj, where, limit, types=("plain_text", "mrkdwn")):
    problems = []
    if not isinstance(obj, dict) or obj.get("type") not in types:
        return [f"{where}: a text object of type {' or '.join(types)}"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        problems.append(f"{where}.text: non-empty string")
    elif len(text) > limit:
        problems.append(f"{where}.text: {len(text)} characters, limit {limit}")
    return problems


def check_slack(body):
    """Block Kit as an incoming webhook takes it: text and/or blocks, limits per block kind."""
    problems = []
    if not isinstance(body, dict):
        return ["invalid_payload"], "invalid_payload"
    blocks = body.get("blocks")
    if not isinstance(body.get("text"), str) or not body["text"]:
        if not blocks:
            return ["no_text"], "no_text"
        problems.append("text: set a fallback text for notifications")
    if blocks is not None:
        if not isinstance(blocks, list) or len(blocks) > 50:
            problems.append("blocks: a list of at most 50")
            blocks = []
        for i, block in enumerate(blocks):
            where = f"blocks[{i}]"
            kind = block.get("type") if isinstance(block, dict) else None
            if kind == "header":
                problems += text_object(block.get("text"), where + ".text", 150, ("plain_text",))
            elif kind == "section":
                if "text" not in block and "fields" not in block:
                    problems.append(f"{where}: a section needs text or fields")
                if "text" in block:
                    problems += text_object(block["text"], where + ".text", 3000)
                fields = block.get("fields", [])
                if not isinstance(fields, list) or len(fields) > 10:
                    problems.append(f"{where}.fields: a list of at most 10")
                else:
                    for j, field in enumerate(fields):
                        problems += text_object(field, f"{where}.fields[{j}]", 2000)
            elif kind == "context":
                elements = block.get("elements")
                if not isinstance(elements, list) or not 1 <= len(elements) <= 10:
                    problems.append(f"{where}.elements: 1 to 10 elements")
                else:
                    for j, element in enumerate(elements):
                        problems += text_object(element, f"{where}.elements[{j}]", 3000)
            elif kind == "divider":
                pass
            else:
                problems.append(f"{where}.type: {kind!r} is not a block this receiver knows")
    return problems, ("invalid_blocks" if problems else None)


def check_pagerduty(body):
    problems = []
    if not isinstance(body, dict):
        return ["the body is not a JSON object"]
    key = body.get("routing_key")
    if not isinstance(key, str) or len(key) != 32:
        problems.append("routing_key: a 32-character integration key")
    action = body.get("event_action")
    if action not in ("trigger", "acknowledge", "resolve"):
        problems.append("event_action: trigger, acknowledge or resolve")
    dedup = body.get("dedup_key")
    if dedup is not None and (not isinstance(dedup, str) or not dedup or len(dedup) > 255):
        problems.append("dedup_key: 1 to 255 characters")
    if action in ("acknowledge", "resolve") and dedup is None:
        problems.append("dedup_key: required to acknowledge or resolve")
    if action == "trigger":
        payload = body.get("payload")
        if not isinstance(payload, dict):
            problems.append("payload: required for a trigger")
        else:
            summary = payload.get("summary")
            if not isinstance(summary, str) or not summary or len(summary) > 1024:
                problems.append("payload.summary: 1 to 1024 characters")
            if not isinstance(payload.get("source"), str) or not payload["source"]:
                problems.append("payload.source: required")
            if payload.get("severity") not in SEVERITIES:
                problems.append("payload.severity: critical, error, warning or info")
            if "timestamp" in payload and not rfc3339(payload["timestamp"]):
                problems.append("payload.timestamp: an ISO 8601 time")
            for name in ("component", "group", "class"):
                if name in payload and not isinstance(payload[name], str):
                    problems.append(f"payload.{name}: a string")
            if "custom_details" in payload and not isinstance(payload["custom_details"], dict):
                problems.append("payload.custom_details: an object")
    return problems


def check_webhook(body):
    """medic.io/v1 Notification, as docs/integrations.md documents it."""
    problems = []
    if not isinstance(body, dict):
        return ["the body is not a JSON object"]
    if body.get("apiVersion") != "medic.io/v1" or body.get("kind") != "Notification":
        problems.append("apiVersion/kind: medic.io/v1 Notification")
    if body.get("event") not in MEDIC_EVENTS:
        problems.append("event: one of " + ", ".join(sorted(MEDIC_EVENTS)))
    if body.get("severity") not in MEDIC_SEVERITIES:
        problems.append("severity: critical, high, medium or low")
    for name in ("incident", "runbook", "title", "headline"):
        if not isinstance(body.get(name), str):
            problems.append(f"{name}: a string")
    if not rfc3339(body.get("time")):
        problems.append("time: an RFC 3339 time")
    target = body.get("target")
    if not isinstance(target, dict) or not all(isinstance(target.get(k), str) for k in ("kind", "namespace", "name")):
        problems.append("target: {kind, namespace, name}")
    for name in ("evidence", "symptoms", "causedBy", "approve"):
        if not isinstance(body.get(name), list) or not all(isinstance(x, str) for x in body[name]):
            problems.append(f"{name}: a list of strings")
    if not isinstance(body.get("heldBack"), int):
        problems.append("heldBack: an integer")
    for name in ("command", "action", "result"):
        if name in body and not isinstance(body[name], str):
            problems.append(f"{name}: a string")
    if body.get("event") == "finding":
        finding = body.get("finding")
        if not isinstance(finding, dict):
            problems.append("finding: the finding as medic advise --output json prints it")
        else:
            for name in ("id", "runbook", "severity", "summary"):
                if not isinstance(finding.get(name), str):
                    problems.append(f"finding.{name}: a string")
            for name in ("evidence", "actions", "conditions", "causedBy"):
                if not isinstance(finding.get(name), list):
                    problems.append(f"finding.{name}: a list")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port-file", help="write the chosen port here once listening")
    parser.add_argument("--exit-after", type=float, default=120, help="stop after this many seconds (default 120)")
    parser.add_argument("--token", help="bearer token /webhook requires")
    parser.add_argument("--record", help="keep what was received in this file too (rewritten after each request)")
    parser.add_argument("--fail-first", action="append", default=[], metavar="PATH=N", help="answer 500 to the first N requests on PATH")
    parser.add_argument("--throttle-first", action="append", default=[], metavar="PATH=N", help="answer 429 (Retry-After: 1) to the first N")
    args = parser.parse_args()
    failing = {p: int(n) for p, n in (item.split("=") for item in args.fail_first)}
    throttling = {p: int(n) for p, n in (item.split("=") for item in args.throttle_first)}
    received, lock = [], threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def answer(self, status, body, content_type="application/json", headers=()):
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path != "/received":
                return self.answer(404, {"error": "not found"})
            with lock:
                self.answer(200, received)

        def do_POST(self):
            try:
                self.handle_post()
            finally:
                if args.record:
                    with lock:
                        with open(args.record + ".tmp", "w") as f:
                            json.dump(received, f)
                        os.replace(args.record + ".tmp", args.record)

        def handle_post(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            path = self.path
            record = {"path": path, "headers": {k.lower(): v for k, v in self.headers.items()}, "raw": raw.decode("utf-8", "replace")}
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            record["body"] = body
            with lock:
                received.append(record)
                if failing.get(path, 0) > 0:
                    failing[path] -= 1
                    record["answered"] = 500
                    return self.answer(500, "internal error", "text/plain")
                if throttling.get(path, 0) > 0:
                    throttling[path] -= 1
                    record["answered"] = 429
                    return self.answer(429, {"status": "throttle event", "message": "Requests for this service are arriving too quickly."},
                                       headers=[("Retry-After", "1")])
            if path == "/slack":
                problems, word = check_slack(body)
                record["problems"] = problems
                record["answered"] = 400 if word else 200
                return self.answer(400, word, "text/plain") if word else self.answer(200, "ok", "text/plain")
            if path == "/pagerduty/v2/enqueue":
                problems = check_pagerduty(body)
                record["problems"] = problems
                record["answered"] = 400 if problems else 202
                if problems:
                    return self.answer(400, {"status": "invalid event", "message": "Event object is invalid", "errors": problems})
                return self.answer(202, {"status": "success", "message": "Event processed", "dedup_key": body.get("dedup_key", "")})
            if path == "/webhook":
                if args.token and self.headers.get("Authorization") != "Bearer " + args.token:
                    record["problems"], record["answered"] = ["unauthorized"], 401
                    return self.answer(401, {"error": "unauthorized"})
                problems = check_webhook(body)
                record["problems"] = problems
                record["answered"] = 400 if problems else 200
                return self.answer(400 if problems else 200, {"problems": problems})
            record["problems"], record["answered"] = ["unknown path"], 404
            return self.answer(404, {"error": "not found"})

    # A parent that ignores or blocks SIGTERM passes that on; stop on it all the same.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.replace(args.port_file + ".tmp", args.port_file)
    print(server.server_address[1], flush=True)
    threading.Timer(args.exit_after, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
