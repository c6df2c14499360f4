#!/usr/bin/env python3
"""HTTP(S) server for MedicHTTP / MedicProm tests. Listens on 127.0.0.1 only.

Writes its port to --port-file (atomically) once listening. Exits when stdin closes (the test process went away)
or after --lifetime seconds, whichever comes first.

Paths:
  /echo            JSON: method, path, headers, body, client_cn (TLS client cert CN)
  /status/<n>      responds with status n and body "status <n>"
  /sleep/<sec>     sleeps, then 200 "slept"
  /chunks?n=&delay=  chunked body "chunk-<i>\\n" with delays between chunks
  /metrics         Prometheus text: medic_fixture_up 1
  /stats           JSON: aborted_streams (chunk streams the client hung up on), connections (accepted)
  absolute URI     (proxy requests) same as /echo
"""
import argparse, json, os, signal, ssl, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

stats_lock = threading.Lock()
aborted_streams = 0
connections = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        global connections
        with stats_lock:
            connections += 1
        super().setup()

    def reply(self, status, body, content_type="text/plain"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Test-Server", "medic")
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        global aborted_streams
        url = urlparse(self.path)
        parts = url.path.strip("/").split("/")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("http://") or parts[0] == "echo":
            cn = None
            if isinstance(self.connection, ssl.SSLSocket):
                cert = self.connection.getpeercert()
                if cert:
                    cn = dict(x[0] for x in cert["subject"]).get("commonName")
            self.reply(200, json.dumps({
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
                "client_cn": cn,
            }), "application/json")
        elif parts[0] == "status":
            self.reply(int(parts[1]), "status %s" % parts[1])
        elif parts[0] == "sleep":
            time.sleep(float(parts[1]))
            self.reply(200, "slept")
        elif parts[0] == "chunks":
            query = parse_qs(url.query)
            count = int(query.get("n", ["3"])[0])
            delay = float(query.get("delay", ["0.2"])[0])
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for i in range(count):
                    payload = ("chunk-%d\n" % i).encode()
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(payload), payload))
                    self.wfile.flush()
                    time.sleep(delay)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                with stats_lock:
                    aborted_streams += 1
                self.close_connection = True
        elif parts[0] == "metrics":
            self.reply(200, "# TYPE medic_fixture_up gauge\nmedic_fixture_up 1\n", "text/plain; version=0.0.4")
        elif parts[0] == "stats":
            with stats_lock:
                self.reply(200, json.dumps({"aborted_streams": aborted_streams, "connections": connections}),
                           "application/json")
        else:
            self.reply(404, "no such path")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


def main():
    # A child of a dispatch worker thread inherits a mask that blocks SIGTERM.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--client-ca")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--lifetime", type=float, default=120)
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        if args.client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args.client_ca)
        server.socket = context.wrap_socket(server.socket, server_side=True)

    def exit_when_orphaned():
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=exit_when_orphaned, daemon=True).start()
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    with open(args.port_file + ".tmp", "w") as f:
        f.write("%d" % server.server_address[1])
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
