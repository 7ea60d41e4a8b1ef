# A receiving app for the HTTP-task test, in Python's standard library only: it checks the
# signature with the README's function (docs/examples/celeriac_signature.py) and answers as a
# Django view would. Arguments: the signature module's folder, the shared secret.
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, sys.argv[1])
from celeriac_signature import celeriac_signed

SECRET = sys.argv[2].encode()

class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if not celeriac_signed(self.headers, body, SECRET):
            return self.answer(403, {"error": "bad signature"})
        task = json.loads(body)
        items = task["input"]["items"]
        self.answer(200, {"total": sum(i["price"] * i["qty"] for i in items), "id": task["id"]})

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
