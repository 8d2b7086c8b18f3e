#!/usr/bin/env python3
"""A seeded random mix of operations against the real service, checking invariants all along.

Started by bench/reliability/chaos.sh, which builds nothing: it needs streamer/target/mcr-srt.jar. Python 3 standard
library only. Everything runs on loopback: the service's HTTP port, its SRT listeners (SRT_LISTEN_ADDRESS=127.0.0.1),
the srt-live-transmit peers, the UDP feeds (127.0.0.1 unicast, multicast on lo) and the network test responder.

Workers (--clients, each with its own Random seeded from --seed) pick operations by weight: starts of every input type
and mode (valid, invalid, duplicate, at and beyond the listener port range, beyond MAX_STREAMS), stops, stop-and-start
of one key, 2022-7 pairs, srt-live-transmit callers into listener streams (some with a wrong passphrase), srt-live-
transmit listeners for caller streams going away and coming back, UDP feeds silenced and resumed, server-sent event
clients dropped mid-stream, GETs of every read route and /metrics, network tests with the srt mechanism. Halfway
through, the service is stopped with SIGTERM and started again.

Invariants: every /api answer is JSON, never 500, an error is {"error": ...} and names the bad field, key or limit;
each start, stop or pair is answered as the model of what is running says (201, 409 naming the key, the unicast port's
holder or MAX_STREAMS, 404 naming the key); GET /api/streams and /api/pairs list exactly what was started and not
stopped (checked every 2 s with no request in flight); no stream stays Starting for a minute; a caller whose
srt-live-transmit listener has been up for 30 s is Connected (Auth Error when it is encrypted and the listener not);
a listener stream with a good srt-live-transmit caller is Connected; a refused caller leaves a rejected event, and no
more than a few however often it calls; no more peers listed than callers running; a UDP input silent for 6 s shows
Input lost and one fed for 6 s does not; an event client gets its first event and an `end` before the server closes a
stream's events; after SIGTERM streams.json holds exactly what ran, and after the start the same streams come back
with their settings; after everything is stopped the service's threads and descriptors are back at their level after
the warm-up; no ERROR line in the log.

Every invariant violation is printed as `VIOLATION seed=S step=N [op] what`, and a summary at the end; the exit status
is 1 when there was any. A step number names the operation that caused it in the order the workers took them; with
several clients the interleaving differs from run to run, so a violation is reproduced by the same seed most of the
time, not always (--clients 1 makes the sequence of operations the same each time; timing still varies).
"""
import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

CONNECTED = "Connected"


def now():
    return time.monotonic()


class Violations:
    def __init__(self, seed):
        self.seed = seed
        self.lock = threading.Lock()
        self.items = []

    def add(self, step, op, what):
        line = "VIOLATION seed=%d step=%s [%s] %s" % (self.seed, step, op, what)
        with self.lock:
            self.items.append((step, op, what))
            print(line, flush=True)


class Steps:
    def __init__(self):
        self.lock = threading.Lock()
        self.n = 0
        self.counts = {}

    def next(self, op):
        with self.lock:
            self.n += 1
            self.counts[op] = self.counts.get(op, 0) + 1
            return self.n


class SharedExclusive:
    """Mutating requests hold it shared; the checker holds it exclusively to compare the listing with the model."""

    def __init__(self):
        self.cond = threading.Condition()
        self.shared = 0
        self.exclusive = False

    def acquire_shared(self):
        with self.cond:
            while self.exclusive:
                self.cond.wait()
            self.shared += 1

    def release_shared(self):
        with self.cond:
            self.shared -= 1
            self.cond.notify_all()

    def acquire_exclusive(self):
        with self.cond:
            while self.exclusive:
                self.cond.wait()
            self.exclusive = True
            while self.shared:
                self.cond.wait()

    def release_exclusive(self):
        with self.cond:
            self.exclusive = False
            self.cond.notify_all()


class Reply:
    def __init__(self, status, body, error=None):
        self.status = status
        self.body = body
        self.error = error
        self.json = None
        if body:
            try:
                self.json = json.loads(body)
            except ValueError:
                pass

    def message(self):
        if isinstance(self.json, dict):
            return json.dumps(self.json)
        return self.body or self.error or ""

    def __repr__(self):
        return "%s %s" % (self.status, (self.body or self.error or "")[:300])


class Service:
    """The real service: `java -jar mcr-srt.jar serve` with loopback-only settings."""

    def __init__(self, args, root):
        self.args = args
        self.root = root
        self.data = os.path.join(root, "data")
        self.media = os.path.join(root, "media")
        self.logs = os.path.join(root, "logs")
        self.console = os.path.join(root, "console.log")
        self.proc = None
        self.key = "chaos-api-key-0123456789abcdef"

    def env(self):
        e = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOST": "127.0.0.1", "PORT": str(self.args.http_port),
             "DATA_DIR": self.data, "MEDIA_FOLDER": self.media, "LOG_DIR": self.logs, "API_KEY": self.key,
             "LISTENER_PORT_MIN": str(self.args.port_min), "LISTENER_PORT_MAX": str(self.args.port_max),
             "MAX_STREAMS": str(self.args.max_streams), "SRT_LISTEN_ADDRESS": "127.0.0.1",
             "MALLOC_ARENA_MAX": "2", "MAX_CALLERS_PER_LISTENER": "4"}
        return e

    def start(self):
        java = os.path.join(self.args.java_home, "bin", "java")
        out = open(self.console, "ab")
        self.proc = subprocess.Popen([java, "--enable-native-access=ALL-UNNAMED", "-Xmx384m", "-jar", self.args.jar,
                                      "serve"], env=self.env(), stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        out.close()
        deadline = now() + 60
        while now() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("the service exited with %s at start; see %s" % (self.proc.returncode, self.console))
            r = self.request("GET", "/health", timeout=2)
            if r.status == 200:
                return
            time.sleep(0.2)
        raise SystemExit("the service did not answer /health within 60 s; see %s" % self.console)

    def sigterm(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return "killed after 60 s"

    def request(self, method, path, body=None, headers=None, timeout=30, key=True):
        h = {}
        if key:
            h["X-API-Key"] = self.key
        if body is not None:
            h["Content-Type"] = "application/json"
            if not isinstance(body, (str, bytes)):
                body = json.dumps(body)
        if headers:
            h.update(headers)
        conn = http.client.HTTPConnection("127.0.0.1", self.args.http_port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            data = resp.read().decode("utf-8", "replace")
            return Reply(resp.status, data)
        except (OSError, http.client.HTTPException) as e:
            return Reply(None, None, "%s: %s" % (type(e).__name__, e))
        finally:
            conn.close()

    def pid(self):
        return self.proc.pid

    def threads(self):
        with open("/proc/%d/status" % self.pid()) as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
        return -1

    def fds(self):
        return len(os.listdir("/proc/%d/fd" % self.pid()))


class Slt:
    """One srt-live-transmit process: a caller into one of our listener streams, or a listener our callers call."""

    def __init__(self, url, log):
        self.url = url
        with open(log, "ab") as err:
            err.write(("%s srt-live-transmit %s\n" % (time.strftime("%H:%M:%S"), url)).encode())
            err.flush()
            self.proc = subprocess.Popen(["srt-live-transmit", "-a:yes", url, "file://con"],
                                         stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL)
        self.since = now()

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Feed:
    """A UDP sender of the clip's packets, 7 to a datagram, to 127.0.0.1 or a multicast group on lo; on or off."""

    def __init__(self, address, port, ts, stop_event):
        self.address = address
        self.port = port
        self.ts = ts
        self.on = False
        self.changed = now()
        self.stop_event = stop_event
        self.thread = threading.Thread(target=self.run, name="feed-%s:%d" % (address, port), daemon=True)
        self.thread.start()

    def set(self, on):
        if on != self.on:
            self.on = on
            self.changed = now()

    def run(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        if self.address.startswith("239."):
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        chunk = 188 * 7
        pos = 0
        while not self.stop_event.is_set():
            if not self.on:
                time.sleep(0.05)
                continue
            if pos + chunk > len(self.ts):
                pos = 0
            try:
                s.sendto(self.ts[pos:pos + chunk], (self.address, self.port))
            except OSError:
                pass
            pos += chunk
            time.sleep(0.004)  # about 2.6 Mbit/s
        s.close()


class SseClient:
    """A live event client that reads for a while and then drops the connection without a word."""

    def __init__(self, service, path, seconds):
        self.service = service
        self.path = path
        self.seconds = seconds
        self.events = []
        self.status = None
        self.content_type = None
        self.error = None
        self.closed_by_server = False
        self.sock = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, name="sse " + path, daemon=True)
        self.thread.start()

    def run(self):
        try:
            s = socket.create_connection(("127.0.0.1", self.service.args.http_port), timeout=15)
            self.sock = s
            s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nX-API-Key: %s\r\n\r\n"
                       % (self.path, self.service.key)).encode())
            f = s.makefile("rb")
            status_line = f.readline().decode()
            self.status = int(status_line.split()[1]) if status_line else None
            while True:
                line = f.readline().decode()
                if not line or line in ("\r\n", "\n"):
                    break
                if line.lower().startswith("content-type:"):
                    self.content_type = line.split(":", 1)[1].strip()
            end = now() + self.seconds
            event = None
            while now() < end:
                line = f.readline()
                if not line:
                    self.closed_by_server = True
                    break
                line = line.decode("utf-8", "replace").rstrip("\r\n")
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event:
                    self.events.append((now(), event, line[5:].strip()))
                    event = None
        except OSError as e:
            if not self.done.is_set():
                self.error = "%s: %s" % (type(e).__name__, e)
        finally:
            try:
                if self.sock:
                    # an abrupt close (RST), as a browser tab that is killed
                    self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.sock.close()
            except OSError:
                pass
            self.done.set()


class Model:
    """What the driver started and has not stopped: streams by key, pairs by pair id (with their leg keys)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.streams = {}   # key -> {"body", "kind", "passphrase", "target", "feed", "since"}
        self.pairs = {}     # pair id -> {"body", "keys", "feed", "targets"}
        self.busy = set()   # keys an operation holds now
        self.inflight_starts = 0
        self.inflight_stops = 0

    def taken_keys(self):
        keys = set(self.streams)
        for p in self.pairs.values():
            keys.update(p["keys"])
        return keys

    def count(self):
        return len(self.streams) + len(self.pairs)

    def claim(self, keys):
        with self.lock:
            if any(k in self.busy for k in keys):
                return False
            self.busy.update(keys)
            return True

    def release(self, keys):
        with self.lock:
            self.busy.difference_update(keys)


class Chaos:
    def __init__(self, args, root, ts_bytes):
        self.args = args
        self.root = root
        self.seed = args.seed
        self.v = Violations(args.seed)
        self.steps = Steps()
        self.rw = SharedExclusive()
        self.model = Model()
        self.service = Service(args, root)
        self.stop_event = threading.Event()
        self.feeds_stop = threading.Event()
        self.gate = threading.Event()
        self.gate.set()
        self.inflight_lock = threading.Condition()
        self.inflight = 0
        self.ts = ts_bytes
        self.listener_ports = list(range(args.port_min, args.port_max + 1))
        base = args.port_max + 30
        self.target_ports = list(range(base, base + 8))          # srt-live-transmit listeners our callers call
        self.silent_targets = list(range(base + 8, base + 11))   # nothing listens there
        self.unicast_ports = list(range(base + 20, base + 24))
        self.mcast = [("239.255.42.%d" % (i + 1), base + 30 + i) for i in range(2)]
        self.probe_port = base + 40
        self.targets = {}       # port -> Slt or None (down)
        self.target_lock = threading.Lock()
        self.target_changed = {p: now() for p in self.target_ports}
        self.feeds = {}
        self.peers = []         # (key, Slt, good passphrase?)
        self.peer_lock = threading.Lock()
        self.sse = []
        self.sse_lock = threading.Lock()
        self.status_seen = {}   # key -> (status, since)
        self.peer_stopped = {}  # key -> when a caller into it was last stopped
        self.stopped_at = {}    # key -> when a stop of it was answered
        self.reported = set()
        self.restarting = False
        self.probe = None
        self.baseline = None
        self.final = None

    def peer_log(self, name):
        return os.path.join(self.root, "peers", name + ".log")

    # ---- helpers -------------------------------------------------------------------------------------------------

    def check_reply(self, step, op, r, allowed):
        """Every /api answer is JSON; never 500; an error is {"error": ...}; the status is one of allowed."""
        if r.status is None:
            self.v.add(step, op, "no HTTP answer: %s" % r.error)
            return False
        if r.status >= 500:
            self.v.add(step, op, "HTTP %d: %s" % (r.status, r.body[:400]))
            return False
        if r.json is None:
            self.v.add(step, op, "answer is not JSON (HTTP %d): %r" % (r.status, r.body[:200]))
            return False
        if r.status >= 400 and not (isinstance(r.json, dict) and isinstance(r.json.get("error"), str)):
            self.v.add(step, op, "error without an 'error' message: %r" % r)
            return False
        if r.status not in allowed:
            self.v.add(step, op, "HTTP %d, expected %s: %s" % (r.status, sorted(allowed), r.message()[:400]))
            return False
        return True

    def names(self, step, op, r, *values):
        """The error answer names every one of values (a field, a key, a limit)."""
        text = r.message()
        for value in values:
            if str(value) not in text:
                self.v.add(step, op, "error does not name %r: %s" % (value, text[:400]))
                return False
        return True

    def begin(self):
        self.gate.wait()
        with self.inflight_lock:
            self.inflight += 1

    def end(self):
        with self.inflight_lock:
            self.inflight -= 1
            self.inflight_lock.notify_all()

    def passphrase(self, rnd):
        return "".join(rnd.choice("abcdefghijkmnopqrstuvwxyz0123456789") for _ in range(rnd.randint(10, 24)))

    def input_fields(self, rnd, allow_file=True):
        kinds = ["colorbar_720p50", "colorbar_1080i25", "multicast_unicast", "multicast_group"] + (["file", "file"] if allow_file else [])
        kind = rnd.choice(kinds)
        body, feed = {}, None
        if kind == "file":
            body = {"input_type": "file", "file_path": "clip.ts"}
            if rnd.random() < 0.2:
                body["loop"] = False
        elif kind.startswith("colorbar"):
            body = {"input_type": kind}
        elif kind == "multicast_unicast":
            port = rnd.choice(self.unicast_ports)
            body = {"input_type": "multicast", "multicast_address": "127.0.0.1", "multicast_port": port}
            feed = ("127.0.0.1", port)
        else:
            group, port = rnd.choice(self.mcast)
            body = {"input_type": "multicast", "multicast_address": group, "multicast_port": port,
                    "multicast_interface": "lo"}
            feed = (group, port)
        if kind != "file" and rnd.random() < 0.3:
            body["rtp_encapsulation"] = True
        return body, feed

    def feed_holder(self, feed):
        """The stream or pair key that has this unicast UDP input, if any."""
        if feed is None or feed[0] != "127.0.0.1":
            return None
        for k, s in self.model.streams.items():
            if s["feed"] == feed:
                return k
        for k, p in self.model.pairs.items():
            if p["feed"] == feed:
                return k
        return None

    # ---- operations ------------------------------------------------------------------------------------------------

    def op_start(self, rnd, step):
        op = "start"
        caller = rnd.random() < 0.35
        body, feed = self.input_fields(rnd)
        if caller:
            target = rnd.choice(self.target_ports + self.silent_targets)
            body.update({"mode": "caller", "target_address": "127.0.0.1", "target_port": target})
            key = target
        else:
            key = rnd.choice(self.listener_ports + [self.args.port_min, self.args.port_max])
            body["port"] = key
            target = None
        enc = rnd.random() < 0.3
        if enc:
            body["encryption"] = rnd.choice(["aes-128", "aes-256"])
            body["passphrase"] = self.passphrase(rnd)
        if rnd.random() < 0.5:
            body["latency"] = rnd.choice([20, 120, 300, 8000])
        op = "start %s %s key=%d" % ("caller" if caller else "listener", body["input_type"], key)
        self.post_stream(rnd, step, op, key, body, feed, target)

    def post_stream(self, rnd, step, op, key, body, feed, target):
        if not self.model.claim([key]):
            return
        try:
            self.rw.acquire_shared()
            try:
                with self.model.lock:
                    taken = key in self.model.taken_keys()
                    holder = self.feed_holder(feed)
                    count = self.model.count()
                    lo_count = count - self.model.inflight_stops
                    hi_count = count + self.model.inflight_starts
                    self.model.inflight_starts += 1
                r = self.service.request("POST", "/api/streams", body)
                with self.model.lock:
                    self.model.inflight_starts -= 1
                    if r.status == 201:
                        self.model.streams[key] = {"body": body, "feed": feed, "target": target,
                                                   "since": now(), "step": step}
            finally:
                self.rw.release_shared()
            if taken:
                if self.check_reply(step, op, r, {409}):
                    self.names(step, op, r, key)
                return
            allowed = {201}
            if holder is not None:
                allowed = {409}
            if hi_count >= self.args.max_streams:
                allowed = allowed | {409}
            if lo_count >= self.args.max_streams and holder is None:
                allowed = {409}
            allowed = allowed | {409} if self.recently_stopped(key) else allowed
            if not self.check_reply(step, op, r, allowed):
                return
            if r.status == 409:
                text = r.message()
                if "MAX_STREAMS" in text:
                    self.names(step, op, r, self.args.max_streams)
                elif "still stopping" in text:
                    self.names(step, op, r, key)
                elif holder is not None and "UDP port" in text:
                    self.names(step, op, r, feed[1], holder)
                else:
                    self.v.add(step, op, "409 not explained by the model (taken %s, count %d..%d): %s"
                               % (sorted(self.model.taken_keys()), lo_count, hi_count, text[:300]))
        finally:
            self.model.release([key])

    def recently_stopped(self, key):
        t = self.stopped_at.get(key)
        return t is not None and now() - t < 15

    def op_invalid(self, rnd, step):
        """A body with one thing wrong: the answer is 400 (or 415) and names what is wrong."""
        base = {"input_type": "file", "file_path": "clip.ts", "port": self.args.port_min}
        cases = [
            ("port below the range", dict(base, port=self.args.port_min - 1), "port"),
            ("port above the range", dict(base, port=self.args.port_max + 1), "port"),
            ("port 0", dict(base, port=0), "port"),
            ("port as text", dict(base, port=str(self.args.port_min)), "port"),
            ("latency 19", dict(base, latency=19), "latency"),
            ("latency 8001", dict(base, latency=8001), "latency"),
            ("overhead 100", dict(base, overhead_bandwidth=100), "overhead_bandwidth"),
            ("bad input type", dict(base, input_type="rtsp"), "input_type"),
            ("missing file", dict(base, file_path="nothere.ts"), "nothere.ts"),
            ("not .ts", dict(base, file_path="clip.mp4"), "file_path"),
            ("escape media folder", dict(base, file_path="../data/api_key"), "file_path"),
            ("short passphrase", dict(base, encryption="aes-128", passphrase="short"), "passphrase"),
            ("passphrase without encryption", dict(base, passphrase="0123456789ab"), "passphrase"),
            ("bad encryption", dict(base, encryption="aes-512", passphrase="0123456789ab"), "encryption"),
            ("unknown field", dict(base, colour="red"), "colour"),
            ("caller without target", {"input_type": "colorbar_720p50", "mode": "caller"}, "target_address"),
            ("caller port 70000", {"input_type": "colorbar_720p50", "mode": "caller",
                                   "target_address": "127.0.0.1", "target_port": 70000}, "target_port"),
            ("bad mode", dict(base, mode="rendezvous"), "mode"),
            ("loop on bars", {"input_type": "colorbar_720p50", "port": self.args.port_min, "loop": True}, "loop"),
            ("multicast without port", {"input_type": "multicast", "multicast_address": "239.255.42.9",
                                        "port": self.args.port_min}, "multicast_port"),
            ("multicast bad address", {"input_type": "multicast", "multicast_address": "239.255.42.999",
                                       "multicast_port": 5000, "port": self.args.port_min}, "multicast_address"),
            ("stream id with newline", dict(base, stream_id="a\nb"), "stream_id"),
            ("not JSON", "{\"input_type\": ", "body"),
            ("empty object", {}, "body"),
            ("field twice", "{\"port\": %d, \"port\": %d, \"input_type\": \"file\", \"file_path\": \"clip.ts\"}"
             % (self.args.port_min, self.args.port_min), "port"),
        ]
        name, body, field = rnd.choice(cases)
        op = "invalid start (%s)" % name
        r = self.service.request("POST", "/api/streams", body)
        if self.check_reply(step, op, r, {400, 404}):
            self.names(step, op, r, field)
        if rnd.random() < 0.3:
            # the same, sent as something that is not JSON
            r = self.service.request("POST", "/api/streams", "port=1", headers={"Content-Type": "text/plain"})
            if self.check_reply(step, op + " as text/plain", r, {415}):
                self.names(step, op, r, "text/plain")

    def op_stop(self, rnd, step):
        with self.model.lock:
            keys = sorted(self.model.streams)
        known = rnd.random() < 0.85 and keys
        key = rnd.choice(keys) if known else rnd.choice(self.listener_ports + self.target_ports)
        op = "stop key=%d" % key
        if not self.model.claim([key]):
            return
        try:
            self.rw.acquire_shared()
            try:
                with self.model.lock:
                    present = key in self.model.streams
                    pair_leg = any(key in p["keys"] for p in self.model.pairs.values())
                    self.model.inflight_stops += 1
                r = self.service.request("DELETE", "/api/streams/%d" % key)
                with self.model.lock:
                    self.model.inflight_stops -= 1
                    if r.status == 200:
                        self.model.streams.pop(key, None)
                        self.stopped_at[key] = now()
                        self.status_seen.pop(key, None)
            finally:
                self.rw.release_shared()
            if self.check_reply(step, op, r, {200} if present else {404}) and r.status == 404:
                self.names(step, op, r, key)
                if pair_leg:
                    self.names(step, op, r, "pair")
        finally:
            self.model.release([key])

    def op_restart_stream(self, rnd, step):
        """Stop one stream and start it again with the same body at once (the API has no update)."""
        with self.model.lock:
            keys = sorted(self.model.streams)
        if not keys:
            return
        key = rnd.choice(keys)
        op = "stop+start key=%d" % key
        if not self.model.claim([key]):
            return
        try:
            self.rw.acquire_shared()
            try:
                with self.model.lock:
                    s = self.model.streams.get(key)
                    if s is None:
                        return
                    self.model.inflight_stops += 1
                r = self.service.request("DELETE", "/api/streams/%d" % key)
                with self.model.lock:
                    self.model.inflight_stops -= 1
                    if r.status == 200:
                        self.model.streams.pop(key, None)
                        self.status_seen.pop(key, None)
                        self.stopped_at[key] = now()
            finally:
                self.rw.release_shared()
            if not self.check_reply(step, op + " (stop)", r, {200}):
                return
            deadline = now() + 20
            while True:
                self.rw.acquire_shared()
                try:
                    with self.model.lock:
                        self.model.inflight_starts += 1
                    r = self.service.request("POST", "/api/streams", s["body"])
                    with self.model.lock:
                        self.model.inflight_starts -= 1
                        if r.status == 201:
                            self.model.streams[key] = dict(s, since=now(), step=step)
                finally:
                    self.rw.release_shared()
                if r.status == 409 and "still stopping" in r.message() and now() < deadline:
                    time.sleep(0.2)
                    continue
                break
            allowed = {201, 409}   # a start by another client may have taken the last MAX_STREAMS place
            if self.check_reply(step, op + " (start)", r, allowed) and r.status == 409:
                if "MAX_STREAMS" not in r.message():
                    self.v.add(step, op, "restart refused: %s" % r.message()[:300])
        finally:
            self.model.release([key])

    def op_pair(self, rnd, step):
        legs, keys, targets = [], [], []
        for _ in range(2):
            if rnd.random() < 0.7:
                port = rnd.choice(self.listener_ports)
                legs.append({"mode": "listener", "port": port})
                keys.append(port)
            else:
                port = rnd.choice(self.target_ports)
                legs.append({"mode": "caller", "target_address": "127.0.0.1", "target_port": port})
                keys.append(port)
                targets.append(port)
        body, feed = self.input_fields(rnd, allow_file=False)
        body.pop("rtp_encapsulation", None)
        if body["input_type"] == "multicast" and rnd.random() < 0.5:
            body["multicast_address"], body["multicast_port"] = rnd.choice(self.mcast)
            body["multicast_interface"] = "lo"
            feed = (body["multicast_address"], body["multicast_port"])
        body["legs"] = legs
        if rnd.random() < 0.3:
            body["encryption"] = "aes-128"
            body["passphrase"] = self.passphrase(rnd)
        pair_id = min(keys)
        op = "start pair %s legs=%s" % (body["input_type"], keys)
        if not self.model.claim(set(keys)):
            return
        try:
            self.rw.acquire_shared()
            try:
                with self.model.lock:
                    taken = set(keys) & self.model.taken_keys()
                    holder = self.feed_holder(feed)
                    count = self.model.count()
                    lo_count = count - self.model.inflight_stops
                    hi_count = count + self.model.inflight_starts
                    self.model.inflight_starts += 1
                r = self.service.request("POST", "/api/pairs", body)
                with self.model.lock:
                    self.model.inflight_starts -= 1
                    if r.status == 201:
                        self.model.pairs[pair_id] = {"body": body, "keys": list(keys), "feed": feed,
                                                     "targets": targets, "since": now(), "step": step}
            finally:
                self.rw.release_shared()
            if keys[0] == keys[1]:
                if self.check_reply(step, op, r, {400}):
                    self.names(step, op, r, "legs[1]")
                return
            if taken:
                if self.check_reply(step, op, r, {409}):
                    self.names(step, op, r, min(taken) if len(taken) == 1 else "")
                return
            allowed = {201}
            if holder is not None:
                allowed = {409}
            if hi_count >= self.args.max_streams:
                allowed = allowed | {409}
            if lo_count >= self.args.max_streams and holder is None:
                allowed = {409}
            if any(self.recently_stopped(k) for k in keys):
                allowed = allowed | {409}
            if self.check_reply(step, op, r, allowed) and r.status == 409:
                text = r.message()
                if not ("MAX_STREAMS" in text or "still stopping" in text or "UDP port" in text):
                    self.v.add(step, op, "409 not explained by the model: %s" % text[:300])
        finally:
            self.model.release(set(keys))

    def op_stop_pair(self, rnd, step):
        with self.model.lock:
            ids = sorted(self.model.pairs)
        if not ids:
            return
        pid = rnd.choice(ids)
        with self.model.lock:
            p = self.model.pairs.get(pid)
        if p is None or not self.model.claim(set(p["keys"])):
            return
        op = "stop pair %d" % pid
        try:
            self.rw.acquire_shared()
            try:
                with self.model.lock:
                    present = pid in self.model.pairs
                    self.model.inflight_stops += 1
                r = self.service.request("DELETE", "/api/pairs/%d" % pid)
                with self.model.lock:
                    self.model.inflight_stops -= 1
                    if r.status == 200:
                        self.model.pairs.pop(pid, None)
                        for k in p["keys"]:
                            self.stopped_at[k] = now()
            finally:
                self.rw.release_shared()
            self.check_reply(step, op, r, {200} if present else {404})
        finally:
            self.model.release(set(p["keys"]))

    def op_peer(self, rnd, step):
        """An srt-live-transmit caller into a listener stream for a few seconds; some with a wrong passphrase."""
        with self.model.lock:
            listeners = [(k, s) for k, s in self.model.streams.items() if s["target"] is None]
        if not listeners:
            return
        key, s = rnd.choice(listeners)
        good = rnd.random() < 0.75
        real = s["body"].get("passphrase")
        params = "streamid=chaos%d" % step
        if good and real:
            params += "&passphrase=%s&pbkeylen=%d" % (real, 32 if s["body"]["encryption"] == "aes-256" else 16)
            kind = "good"
        elif good:
            kind = "good"
        elif real and rnd.random() < 0.3:
            kind = "no passphrase"
        else:
            params += "&passphrase=wrongwrongwrong&pbkeylen=16"
            kind = "wrong passphrase" if real else "passphrase for a plain stream"
        url = "srt://127.0.0.1:%d?%s&latency=%d" % (key, params, 120)
        peer = Slt(url, self.peer_log("peer-%d-%d" % (step, key)))
        with self.peer_lock:
            self.peers.append((key, peer, good, step))
        op = "peer %s key=%d" % (kind, key)
        hold = rnd.uniform(2, 12)
        t0 = now()
        time.sleep(min(hold, 8))
        with self.model.lock:
            still = self.model.streams.get(key)
        if still is not None and still is s and now() - s["since"] > 8 and good:
            # a good caller has been there for seconds: the stream shows it connected (unless it ended)
            r = self.service.request("GET", "/api/stats/%d" % key)
            if r.status == 200 and isinstance(r.json, dict):
                st = r.json.get("connection_status", "")
                peers = r.json.get("peers") or []
                if peer.alive() and st not in (CONNECTED, "Ended", "Input lost") and not st.startswith("Error"):
                    with self.model.lock:
                        unchanged = self.model.streams.get(key) is s
                    if unchanged:
                        self.v.add(step, op, "caller there for %.0f s but status %r, %d peers; detail %r"
                                   % (now() - t0, st, len(peers), r.json.get("status_detail")))
        if still is not None and not good:
            r = self.service.request("GET", "/api/debug/%d" % key)
            if r.status == 200 and isinstance(r.json, dict):
                hist = r.json.get("hist") or []
                since = (time.time() - (now() - t0)) * 1000
                mine = [h for h in hist if h.get("kind") == "rejected" and h.get("timestamp_millis", 0) >= since]
                # refusals within 10 s of an earlier rejected event are told with the next one
                recent = [h for h in hist if h.get("kind") == "rejected"
                          and h.get("timestamp_millis", 0) >= since - 10_500]
                with self.model.lock:
                    unchanged = self.model.streams.get(key) is s
                if unchanged and not recent:
                    self.v.add(step, op, "a caller refused for %.0f s left no rejected event (status %r)"
                               % (now() - t0, r.json.get("stat")))
                if unchanged and len(mine) > 4:
                    self.v.add(step, op, "%d rejected events in %.0f s from one refused caller (of the last %d "
                               "events %d are rejections)" % (len(mine), now() - t0, len(hist),
                                                              sum(1 for h in hist if h.get("kind") == "rejected")))
        time.sleep(max(0, hold - (now() - t0)))
        peer.stop()
        self.peer_stopped[key] = now()

    def op_target(self, rnd, step):
        """An srt-live-transmit listener that our callers call goes away, or comes back."""
        port = rnd.choice(self.target_ports)
        with self.target_lock:
            slt = self.targets.get(port)
            if slt is not None and rnd.random() < 0.5:
                slt.stop()
                self.targets[port] = None
                self.target_changed[port] = now()
            elif slt is None:
                self.targets[port] = Slt("srt://127.0.0.1:%d?mode=listener" % port, self.peer_log("target-%d" % port))
                self.target_changed[port] = now()

    def op_feed(self, rnd, step):
        addr = rnd.choice([("127.0.0.1", p) for p in self.unicast_ports] + self.mcast)
        f = self.feeds[addr]
        f.set(not f.on if rnd.random() < 0.7 else True)

    def op_sse(self, rnd, step):
        with self.model.lock:
            keys = sorted(self.model.streams)
        if keys and rnd.random() < 0.6:
            key = rnd.choice(keys)
            path = "/api/streams/%d/events" % key
        else:
            key = None
            path = "/api/events"
        c = SseClient(self.service, path, rnd.uniform(0.5, 10))
        with self.sse_lock:
            self.sse.append((step, key, c))

    def op_read(self, rnd, step):
        with self.model.lock:
            keys = sorted(self.model.streams)
            pairs = sorted(self.model.pairs)
        choices = ["/api/streams", "/api/system/status", "/api/pairs", "/api/media", "/api/network/interfaces",
                   "/api/iptv-channels", "/metrics", "/api/streams/abc", "/api/stats/70000"]
        if keys:
            k = rnd.choice(keys)
            choices += ["/api/stats/%d" % k, "/api/streams/%d" % k, "/api/debug/%d" % k,
                        "/api/streams/%d/history" % k]
        if pairs:
            p = rnd.choice(pairs)
            choices += ["/api/pairs/%d" % p, "/api/pairs/%d/legs/%d/history" % (p, rnd.choice([1, 2]))]
        path = rnd.choice(choices)
        op = "GET " + path
        r = self.service.request("GET", path)
        if path == "/metrics":
            if r.status != 200 or "mcr_srt_streams" not in (r.body or ""):
                self.v.add(step, op, "metrics: %r" % r)
            return
        if path in ("/api/streams/abc", "/api/stats/70000"):
            if self.check_reply(step, op, r, {400}):
                self.names(step, op, r, "abc" if "abc" in path else "70000")
            return
        m = re.match(r"/api/(?:stats|streams|debug)/(\d+)", path) or re.match(r"/api/pairs/(\d+)", path)
        allowed = {200, 404} if m else {200}
        if self.check_reply(step, op, r, allowed) and r.status == 404:
            with self.model.lock:
                k = int(m.group(1))
                there = k in self.model.streams or k in self.model.pairs
            if there:
                self.v.add(step, op, "404 for a key the model has running: %s" % r.message()[:200])

    def op_nettest(self, rnd, step):
        port = self.probe_port if rnd.random() < 0.7 else rnd.choice(self.silent_targets)
        body = {"mechanism": "srt", "mode": "manual", "manual_host": "127.0.0.1", "manual_port": port,
                "duration": 3, "bitrate": "5M"}
        op = "network test srt port=%d" % port
        r = self.service.request("POST", "/api/network-test", body, timeout=60)
        if self.check_reply(step, op, r, {200, 429}) and r.status == 200:
            err = r.json.get("error")
            if port == self.probe_port and err:
                self.v.add(step, op, "test against the responder failed: %s" % err)
            if port != self.probe_port and not err:
                self.v.add(step, op, "test against a silent port did not fail: %s" % r.message()[:200])

    def op_race(self, rnd, step):
        """Two clients start the same free listener key at once: exactly one wins."""
        key = rnd.choice(self.listener_ports)
        if not self.model.claim([key]):
            return
        op = "race start key=%d" % key
        try:
            self.rw.acquire_shared()
            try:
                with self.model.lock:
                    if key in self.model.taken_keys() or self.model.count() + self.model.inflight_starts + 1 \
                            >= self.args.max_streams - 1:
                        return
                    self.model.inflight_starts += 2
                body = {"input_type": "colorbar_720p50", "port": key}
                out = [None, None]

                def go(i):
                    out[i] = self.service.request("POST", "/api/streams", body)
                ts = [threading.Thread(target=go, args=(i,)) for i in range(2)]
                for t in ts:
                    t.start()
                for t in ts:
                    t.join()
                with self.model.lock:
                    self.model.inflight_starts -= 2
                    if any(r.status == 201 for r in out):
                        self.model.streams[key] = {"body": body, "feed": None, "target": None, "since": now(),
                                                   "step": step}
            finally:
                self.rw.release_shared()
            statuses = sorted(r.status or 0 for r in out)
            for r in out:
                self.check_reply(step, op, r, {201, 409})
            if statuses != [201, 409] and not (statuses == [409, 409] and self.recently_stopped(key)) \
                    and 409 in statuses and not any("MAX_STREAMS" in r.message() for r in out):
                self.v.add(step, op, "two starts of one key answered %s" % out)
            if statuses == [201, 201]:
                self.v.add(step, op, "two starts of one key both answered 201")
        finally:
            self.model.release([key])

    # ---- checker ---------------------------------------------------------------------------------------------------

    def check_listing(self, step, op="check"):
        self.rw.acquire_exclusive()
        try:
            rs = self.service.request("GET", "/api/streams")
            rp = self.service.request("GET", "/api/pairs")
            with self.model.lock:
                model_streams = dict(self.model.streams)
                model_pairs = dict(self.model.pairs)
        finally:
            self.rw.release_exclusive()
        if not (self.check_reply(step, op, rs, {200}) and self.check_reply(step, op, rp, {200})):
            return None
        listed = {int(k): v for k, v in (rs.json.get("data") or {}).items()}
        pairs = {int(k): v for k, v in (rp.json.get("data") or {}).items()}
        if set(listed) != set(model_streams):
            self.v.add(step, op, "GET /api/streams lists %s; started minus stopped is %s (extra %s, missing %s)"
                       % (sorted(listed), sorted(model_streams), sorted(set(listed) - set(model_streams)),
                          sorted(set(model_streams) - set(listed))))
        if set(pairs) != set(model_pairs):
            self.v.add(step, op, "GET /api/pairs lists %s; started minus stopped is %s"
                       % (sorted(pairs), sorted(model_pairs)))
        t = now()
        for k, s in listed.items():
            st = s.get("connection_status", "")
            model = model_streams.get(k)
            prev = self.status_seen.get(k)
            if prev is None or prev[0] != st:
                self.status_seen[k] = (st, t)
                continue
            held = t - prev[1]
            if st == "Starting" and held > 60:
                self.v.add(model["step"] if model else step, "stream %d" % k,
                           "Starting for %.0f s (detail %r)" % (held, s.get("status_detail")))
                self.status_seen[k] = (st, t)
            # a caller to an srt-live-transmit listener (no passphrase) connects; an encrypted one is refused
            expected = "Auth Error" if model and model["body"].get("passphrase") else CONNECTED
            if model and model["target"] in self.target_ports and st != expected:
                with self.target_lock:
                    slt = self.targets.get(model["target"])
                    up_for = t - self.target_changed[model["target"]] if slt is not None and slt.alive() else 0
                if up_for > 30 and held > 30 and st not in ("Ended", "Input lost") and not st.startswith("Error"):
                    self.v.add(model["step"], "stream %d" % k, "caller shows %r (not %r) for %.0f s while its "
                               "listener 127.0.0.1:%d has been up for %.0f s (detail %r)"
                               % (st, expected, held, model["target"], up_for, s.get("status_detail")))
                    self.status_seen[k] = (st, t)
            if model and model["feed"] is not None and t - model["since"] > 8:
                self.check_feed(model["step"], "stream %d" % k, model["feed"], st, s.get("status_detail"))
            if model and model["target"] is None and t - model["since"] > 8:
                with self.peer_lock:
                    alive = sum(1 for (pk, p, good, _) in self.peers if pk == k and good and p.alive())
                quiet = t - self.peer_stopped.get(k, 0)
                if (s.get("peers_connected") or 0) > alive and quiet > 10 \
                        and self.once(("stale", k, self.peer_stopped.get(k))):
                    self.v.add(model["step"], "stream %d" % k, "%s peers connected, %d callers running; the last "
                               "left %.0f s ago" % (s.get("peers_connected"), alive, quiet))
        for pid, p in pairs.items():
            model = model_pairs.get(pid)
            if model and model["feed"] is not None and t - model["since"] > 8:
                self.check_feed(model["step"], "pair %d" % pid, model["feed"], p.get("connection_status", ""),
                                None)
            for leg in p.get("legs") or []:
                k = ("pair", pid, leg.get("key"))
                st = leg.get("connection_status", "")
                prev = self.status_seen.get(k)
                if prev is None or prev[0] != st:
                    self.status_seen[k] = (st, t)
                elif st == "Starting" and t - prev[1] > 60:
                    self.v.add(step, "pair %d" % pid, "leg %s Starting for %.0f s" % (leg.get("key"), t - prev[1]))
                    self.status_seen[k] = (st, t)
        return listed, pairs

    def once(self, what):
        """True the first time: a condition seen at every check is reported once."""
        if what in self.reported:
            return False
        self.reported.add(what)
        return True

    def check_feed(self, step, op, feed, status, detail):
        """A UDP input silent for seconds shows Input lost; one fed for seconds does not."""
        f = self.feeds[feed]
        held = now() - f.changed
        if not ((f.on and status == "Input lost") or (not f.on and status != "Input lost")):
            return
        if held < 6 or status in ("Starting", "Start Error") or status.startswith("Error"):
            return
        if not self.once((op, feed, f.changed)):
            return
        if f.on and status == "Input lost":
            self.v.add(step, op, "Input lost while %s:%d has been fed for %.0f s (detail %r)"
                       % (feed[0], feed[1], held, detail))
        if not f.on and status != "Input lost":
            self.v.add(step, op, "status %r while %s:%d has been silent for %.0f s (detail %r)"
                       % (status, feed[0], feed[1], held, detail))

    def check_sse(self):
        """Finished event clients: the answer was an event stream, and the first event came."""
        with self.sse_lock:
            done = [x for x in self.sse if x[2].done.is_set()]
            self.sse = [x for x in self.sse if not x[2].done.is_set()]
        for step, key, c in done:
            op = "sse " + c.path
            if c.status != 200:
                if c.status is not None and c.status in (503,) and self.restarting:
                    continue
                if c.error and self.restarting:
                    continue
                self.v.add(step, op, "status %s, error %s" % (c.status, c.error))
                continue
            if not (c.content_type or "").startswith("text/event-stream"):
                self.v.add(step, op, "Content-Type %r" % c.content_type)
            names = [e[1] for e in c.events]
            if c.seconds > 3 and not names and not self.restarting:
                self.v.add(step, op, "no event within %.1f s" % c.seconds)
            if key is not None and c.closed_by_server and "end" not in names and not self.restarting:
                self.v.add(step, op, "closed by the server without an end event (events %s)" % names[-5:])

    # ---- run -------------------------------------------------------------------------------------------------------

    WEIGHTS = [("start", 14), ("invalid", 6), ("stop", 9), ("restart_stream", 3), ("pair", 4), ("stop_pair", 3),
               ("peer", 6), ("target", 3), ("feed", 5), ("sse", 5), ("read", 10), ("nettest", 1), ("race", 2)]

    def worker(self, index):
        rnd = random.Random(self.seed * 1000 + index)
        ops = [name for name, w in self.WEIGHTS for _ in range(w)]
        while not self.stop_event.is_set():
            name = rnd.choice(ops)
            if name == "nettest" and self.args.no_nettest:
                continue
            self.begin()
            try:
                if self.stop_event.is_set():
                    return
                step = self.steps.next(name)
                try:
                    getattr(self, "op_" + name)(rnd, step)
                except Exception as e:  # a fault of this driver, not of the service: say so and go on
                    print("driver error at step %d (%s): %r" % (step, name, e), file=sys.stderr, flush=True)
            finally:
                self.end()
            time.sleep(rnd.uniform(0, self.args.pause))

    def pause_workers(self):
        self.gate.clear()
        with self.inflight_lock:
            while self.inflight:
                self.inflight_lock.wait()

    def restart(self):
        step = self.steps.next("sigterm+start")
        op = "SIGTERM and start again"
        self.pause_workers()
        self.restarting = True
        with self.model.lock:
            expect_streams = set(self.model.streams)
            expect_pairs = set(self.model.pairs)
        print("%s at step %d: %d streams, %d pairs running" % (op, step, len(expect_streams), len(expect_pairs)),
              flush=True)
        code = self.service.sigterm()
        if code not in (143, 0):
            self.v.add(step, op, "exit status %s" % code)
        saved = os.path.join(self.service.data, "streams.json")
        try:
            with open(saved) as f:
                doc = json.load(f)
            keys = set()
            for s in doc.get("streams", []):
                keys.add(s.get("port") if s.get("mode") == "listener" else s.get("target_port"))
            pair_keys = set()
            for p in doc.get("pairs", []):
                pair_keys.add(min((l.get("port") if l.get("mode") == "listener" else l.get("target_port"))
                                  for l in (p["leg1"], p["leg2"])))
            if keys != expect_streams:
                self.v.add(step, op, "streams.json after SIGTERM holds %s; running were %s"
                           % (sorted(keys), sorted(expect_streams)))
            if pair_keys != expect_pairs:
                self.v.add(step, op, "streams.json after SIGTERM holds pairs %s; running were %s"
                           % (sorted(pair_keys), sorted(expect_pairs)))
        except (OSError, ValueError, KeyError) as e:
            self.v.add(step, op, "streams.json unreadable after SIGTERM: %r" % e)
        self.service.start()
        t0 = now()
        while True:
            got = self.check_listing(step, op)
            if got is None or set(got[0]) == expect_streams and set(got[1]) == expect_pairs or now() - t0 > 30:
                break
            time.sleep(0.5)
        if got is not None:
            with self.model.lock:
                bodies = {k: v["body"] for k, v in self.model.streams.items()}
            for k, summary in got[0].items():
                body = bodies.get(k)
                if body is None:
                    continue
                want = {"latency": body.get("latency", 300), "encryption": body.get("encryption", "none"),
                        "input_type": "colorbar" if body["input_type"].startswith("colorbar") else body["input_type"],
                        "mode": body.get("mode", "listener")}
                have = {f: summary.get(f) for f in want}
                if have != want:
                    self.v.add(step, op, "stream %d came back as %s, was started as %s" % (k, have, want))
        self.restarting = False
        self.gate.set()

    def settle_level(self, label):
        return {"threads": self.service.threads(), "fds": self.service.fds(), "label": label}

    def warm_up(self):
        """One stream of each kind started and stopped, one event client, one metrics scrape; then the baseline."""
        s = self.service
        bodies = [{"input_type": "file", "file_path": "clip.ts", "port": self.args.port_min},
                  {"input_type": "colorbar_720p50", "port": self.args.port_min + 1},
                  {"input_type": "multicast", "multicast_address": "127.0.0.1",
                   "multicast_port": self.unicast_ports[0], "port": self.args.port_min + 2},
                  {"input_type": "file", "file_path": "clip.ts", "mode": "caller", "target_address": "127.0.0.1",
                   "target_port": self.target_ports[0]}]
        for b in bodies:
            r = s.request("POST", "/api/streams", b)
            if r.status != 201:
                raise SystemExit("warm-up start refused: %r" % r)
        peer = Slt("srt://127.0.0.1:%d" % self.args.port_min, self.peer_log("warm-up"))
        c = SseClient(s, "/api/events", 2)
        time.sleep(6)
        peer.stop()
        c.done.wait(10)
        s.request("GET", "/metrics")
        for b in bodies:
            s.request("DELETE", "/api/streams/%d" % (b.get("port") or b.get("target_port")))
        time.sleep(3)
        return self.settle_level("after warm-up")

    def stop_everything(self):
        for _ in range(3):
            r = self.service.request("GET", "/api/streams")
            for k in (r.json or {}).get("data", {}) if r.status == 200 else []:
                self.service.request("DELETE", "/api/streams/%s" % k)
            r = self.service.request("GET", "/api/pairs")
            for k in (r.json or {}).get("data", {}) if r.status == 200 else []:
                self.service.request("DELETE", "/api/pairs/%s" % k)
        with self.model.lock:
            self.model.streams.clear()
            self.model.pairs.clear()
        with self.peer_lock:
            for _, p, _, _ in self.peers:
                p.stop()
        with self.target_lock:
            for port, slt in self.targets.items():
                if slt is not None:
                    slt.stop()
                self.targets[port] = None
        for f in self.feeds.values():
            f.set(False)
        with self.sse_lock:
            for _, _, c in self.sse:
                c.done.wait(15)

    def scan_log(self):
        path = os.path.join(self.service.logs, "srt_streamer.log")
        found = []
        for p in (path, self.service.console):
            try:
                with open(p, errors="replace") as f:
                    for line in f:
                        if re.match(r"^\S+ \S+ ERROR ", line):
                            found.append(line.rstrip())
            except OSError:
                pass
        seen = set()
        for line in found:
            text = re.sub(r"^\S+ \S+ ", "", line)
            if text not in seen:
                seen.add(text)
                self.v.add("-", "log", line[:500])

    def run(self):
        for addr in [("127.0.0.1", p) for p in self.unicast_ports] + self.mcast:
            self.feeds[addr] = Feed(addr[0], addr[1], self.ts, self.feeds_stop)
        for port in self.target_ports:
            self.targets[port] = Slt("srt://127.0.0.1:%d?mode=listener" % port, self.peer_log("target-%d" % port))
            self.target_changed[port] = now()
        self.probe = subprocess.Popen([self.args.java_home + "/bin/java", "--enable-native-access=ALL-UNNAMED",
                                       "-jar", self.args.jar, "nettest", "--serve-probe", str(self.probe_port),
                                       "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        self.service.start()
        self.baseline = self.warm_up()
        print("baseline %s: %d threads, %d fds (pid %d)" % (self.baseline["label"], self.baseline["threads"],
                                                             self.baseline["fds"], self.service.pid()), flush=True)
        t0 = now()
        workers = [threading.Thread(target=self.worker, args=(i,), name="worker-%d" % i, daemon=True)
                   for i in range(self.args.clients)]
        for w in workers:
            w.start()
        restart_at = t0 + self.args.duration / 2 if not self.args.no_restart else None
        last_report = t0
        while now() - t0 < self.args.duration:
            time.sleep(2)
            self.check_listing(self.steps.n)
            self.check_sse()
            if restart_at and now() >= restart_at:
                restart_at = None
                self.restart()
            if now() - last_report > 30:
                last_report = now()
                with self.model.lock:
                    n, p = len(self.model.streams), len(self.model.pairs)
                print("%4.0f s: step %d, %d streams, %d pairs, %d violations so far"
                      % (now() - t0, self.steps.n, n, p, len(self.v.items)), flush=True)
        self.stop_event.set()
        self.gate.set()
        for w in workers:
            w.join(60)
        self.check_listing(self.steps.n, "final check")
        self.check_sse()
        # everything stopped: threads and descriptors come back to the level after the warm-up
        self.stop_everything()
        step = self.steps.next("final")
        deadline = now() + 45
        level = None
        while now() < deadline:
            level = self.settle_level("after everything stopped")
            if level["threads"] <= self.baseline["threads"] + self.args.thread_slack \
                    and level["fds"] <= self.baseline["fds"] + self.args.fd_slack:
                break
            time.sleep(1)
        self.final = level
        if level["threads"] > self.baseline["threads"] + self.args.thread_slack:
            self.v.add(step, "resources", "threads %d after everything stopped, %d after the warm-up%s"
                       % (level["threads"], self.baseline["threads"], self.thread_names()))
        if level["fds"] > self.baseline["fds"] + self.args.fd_slack:
            self.v.add(step, "resources", "file descriptors %d after everything stopped, %d after the warm-up: %s"
                       % (level["fds"], self.baseline["fds"], self.fd_kinds()))
        r = self.service.request("GET", "/api/streams")
        if r.status == 200 and r.json.get("data"):
            self.v.add(step, "final", "streams still listed after every stop: %s" % sorted(r.json["data"]))
        code = self.service.sigterm()
        if code not in (143, 0):
            self.v.add(step, "final SIGTERM", "exit status %s" % code)
        self.scan_log()
        return t0

    def thread_names(self):
        names = {}
        try:
            for tid in os.listdir("/proc/%d/task" % self.service.pid()):
                with open("/proc/%d/task/%s/comm" % (self.service.pid(), tid)) as f:
                    n = re.sub(r"\d+", "N", f.read().strip())
                    names[n] = names.get(n, 0) + 1
        except OSError:
            pass
        return ": " + ", ".join("%s x%d" % kv for kv in sorted(names.items()))

    def fd_kinds(self):
        kinds = {}
        base = "/proc/%d/fd" % self.service.pid()
        for fd in os.listdir(base):
            try:
                t = re.sub(r"\d+", "N", os.readlink(os.path.join(base, fd)))
            except OSError:
                continue
            kinds[t] = kinds.get(t, 0) + 1
        return ", ".join("%s x%d" % kv for kv in sorted(kinds.items()))

    def shutdown(self):
        self.stop_event.set()
        self.feeds_stop.set()
        for slt in list(self.targets.values()):
            if slt is not None:
                slt.stop()
        with self.peer_lock:
            for _, p, _, _ in self.peers:
                p.stop()
        if self.probe and self.probe.poll() is None:
            self.probe.terminate()
            try:
                self.probe.wait(15)
            except subprocess.TimeoutExpired:
                self.probe.kill()
        if self.service.proc and self.service.proc.poll() is None:
            self.service.sigterm()


def make_clip(path):
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-t", "2",
                    "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "500k", "-f", "mpegts", path], check=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", type=int, default=int(time.time()) % 100000)
    p.add_argument("--duration", type=float, default=300, help="seconds of random operations (default 300)")
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--pause", type=float, default=0.4, help="most seconds a client waits between steps")
    p.add_argument("--http-port", type=int, default=18431)
    p.add_argument("--port-min", type=int, default=21000)
    p.add_argument("--port-max", type=int, default=21011)
    p.add_argument("--max-streams", type=int, default=12)
    p.add_argument("--jar", required=True)
    p.add_argument("--java-home", required=True)
    p.add_argument("--root", help="folder for DATA_DIR, MEDIA_FOLDER, logs (default: a new /tmp/chaos-SEED-*)")
    p.add_argument("--no-restart", action="store_true")
    p.add_argument("--no-nettest", action="store_true")
    p.add_argument("--thread-slack", type=int, default=3)
    p.add_argument("--fd-slack", type=int, default=3)
    args = p.parse_args()
    root = args.root or "/tmp/chaos-%d-%d" % (args.seed, os.getpid())
    for d in ("data", "media", "logs", "peers"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    clip = os.path.join(root, "media", "clip.ts")
    make_clip(clip)
    with open(clip, "rb") as f:
        ts = f.read()
    print("seed %d, %.0f s, %d clients, service on 127.0.0.1:%d, SRT listeners %d-%d, MAX_STREAMS %d, folder %s"
          % (args.seed, args.duration, args.clients, args.http_port, args.port_min, args.port_max, args.max_streams,
             root), flush=True)
    chaos = Chaos(args, root, ts)
    started = time.time()
    try:
        chaos.run()
    finally:
        chaos.shutdown()
    v = chaos.v.items
    print()
    print("summary: seed %d, %d steps in %.0f s, %s" % (args.seed, chaos.steps.n, time.time() - started,
                                                        ", ".join("%s %d" % kv for kv in sorted(chaos.steps.counts.items()))))
    if chaos.baseline and chaos.final:
        print("threads %d -> %d, file descriptors %d -> %d (after the warm-up -> after everything stopped)"
              % (chaos.baseline["threads"], chaos.final["threads"], chaos.baseline["fds"], chaos.final["fds"]))
    kinds = {}
    for step, op, what in v:
        kind = re.sub(r"\d+", "N", op.split(" key=")[0])[:40]
        kinds[kind] = kinds.get(kind, 0) + 1
    print("%d violations%s" % (len(v), (": " + ", ".join("%s %d" % kv for kv in sorted(kinds.items()))) if v else ""))
    print("log: %s/logs/srt_streamer.log" % root)
    sys.exit(1 if v else 0)


if __name__ == "__main__":
    main()
