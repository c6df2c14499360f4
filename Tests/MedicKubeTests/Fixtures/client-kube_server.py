#!/usr/bin/env python3
"""A tiny Kubernetes API double for MedicKube client tests. Listens on 127.0.0.1 only.

Writes its port to --port-file once listening; exits when stdin closes or after --lifetime s.

--objects FILE   a List (kubectl get -o json, PodLog items included) served by
                 GET list (limit/continue pagination; items without kind/apiVersion, as the
                 real API), GET one object, GET pods/NAME/log (previous, container, tailLines)
--errors FILE    {"METHOD /path": {"code": 403, "headers": {...}, "body": {...Status...}}}
                 answered instead, for that exact path (query ignored)
--watch FILE     {"<resourceVersion>": ["raw chunk", ...]}: a watch from that RV gets these
                 chunks verbatim (flushed one by one, 50 ms apart), then the stream closes
GET /_requests   every request so far: method, path, query, content type, authorization, body
PATCH/POST/PUT   recorded; answered with the stored object (or the posted body)
DELETE           recorded; answered with a Success Status
"""
import argparse, base64, json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

PLURALS = {"namespaces": "Namespace", "pods": "Pod", "deployments": "Deployment", "replicasets": "ReplicaSet",
           "statefulsets": "StatefulSet", "daemonsets": "DaemonSet", "jobs": "Job", "services": "Service",
           "endpoints": "Endpoints", "events": "Event"}
objects, errors, watches, requests = [], {}, {}, []
lock = threading.Lock()


def status(code, reason, message, details=None):
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "code": code}
    if details:
        body["details"] = details
    return body


def parse_path(path):
    """-> (plural, namespace, name, subresource) or None."""
    parts = path.strip("/").split("/")
    if parts[:2] == ["api", "v1"]:
        rest = parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis":
        rest = parts[3:]
    else:
        return None
    namespace = None
    if len(rest) >= 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    if not rest:
        return None
    return rest[0], namespace, rest[1] if len(rest) > 1 else None, rest[2] if len(rest) > 2 else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body, content_type="application/json", headers=None):
        data = body if isinstance(body, bytes) else (json.dumps(body) if not isinstance(body, str) else body).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if url.path == "/_requests":
            with lock:
                return self.reply(200, requests)
        with lock:
            requests.append({"method": self.command, "path": url.path, "query": query,
                             "contentType": self.headers.get("Content-Type"),
                             "authorization": self.headers.get("Authorization"), "body": body})
        error = errors.get("%s %s" % (self.command, url.path))
        if error:
            return self.reply(error["code"], error["body"], headers=error.get("headers"))
        parsed = parse_path(url.path)
        if parsed is None or parsed[0] not in PLURALS:
            return self.reply(404, status(404, "NotFound", "the server could not find the requested resource"))
        plural, namespace, name, sub = parsed
        kind = PLURALS[plural]
        if self.command == "DELETE":
            return self.reply(200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                                    "details": {"name": name, "kind": plural}})
        if self.command in ("PATCH", "PUT") or (self.command == "GET" and name):
            found = [o for o in objects if o.get("kind") == kind and o["metadata"]["name"] == name
                     and (namespace is None or o["metadata"].get("namespace") == namespace)]
            if not found:
                return self.reply(404, status(404, "NotFound", '%s "%s" not found' % (plural, name),
                                              {"name": name, "kind": plural}))
            if sub == "log":
                return self.logs(found[0], query)
            return self.reply(200, found[0])
        if self.command == "POST":
            return self.reply(201, body)
        if query.get("watch") in ("true", "1"):
            return self.watch(query.get("resourceVersion", ""))
        return self.list(kind, namespace, query)

    def list(self, kind, namespace, query):
        items = [dict((k, v) for k, v in o.items() if k not in ("kind", "apiVersion")) for o in objects
                 if o.get("kind") == kind and (namespace is None or o["metadata"].get("namespace") == namespace)]
        start = int(base64.b64decode(query["continue"]).decode()) if "continue" in query else 0
        limit = int(query.get("limit", "0")) or len(items)
        page = items[start:start + limit]
        metadata = {"resourceVersion": "100"}
        if start + limit < len(items):
            metadata["continue"] = base64.b64encode(str(start + limit).encode()).decode()
        self.reply(200, {"kind": kind + "List", "apiVersion": "v1", "metadata": metadata, "items": page})

    def logs(self, pod, query):
        container = query.get("container")
        previous = query.get("previous") == "true"
        for log in objects:
            if log.get("kind") == "PodLog" and log["metadata"]["name"] == pod["metadata"]["name"] \
                    and log["container"] == container and log["previous"] == previous:
                lines = log["log"].splitlines(True)
                tail = int(query.get("tailLines", "0"))
                return self.reply(200, "".join(lines[-tail:] if tail else lines), "text/plain")
        return self.reply(400, status(400, "BadRequest", 'previous terminated container "%s" in pod "%s" not found'
                                      % (container, pod["metadata"]["name"])))

    def watch(self, version):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for chunk in watches.get(version, []):
                data = chunk.encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()
                time.sleep(0.05)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--objects")
    parser.add_argument("--errors")
    parser.add_argument("--watch")
    parser.add_argument("--lifetime", type=float, default=120)
    args = parser.parse_args()
    global objects, errors, watches
    if args.objects:
        objects = json.load(open(args.objects))["items"]
    if args.errors:
        errors = json.load(open(args.errors))
    if args.watch:
        watches = json.load(open(args.watch))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, args.port_file)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def stdin_watch():
        sys.stdin.read()
        os._exit(0)
    threading.Thread(target=stdin_watch, daemon=True).start()
    time.sleep(args.lifetime)
    os._exit(0)


if __name__ == "__main__":
    main()
