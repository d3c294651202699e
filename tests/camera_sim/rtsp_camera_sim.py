#!/usr/bin/python3
"""Simulated RTSP cameras on gst-rtsp-server, for integration tests.

Run it with Debian's /usr/bin/python3: it needs python3-gi and the GStreamer
typelibs (gir1.2-gst-rtsp-server-1.0), which a pyenv python does not see.

  rtsp_camera_sim.py --port 8554 --mounts 4                   # /cam1../cam4, no auth
  rtsp_camera_sim.py --port 0 --mounts 64 --shared-encoder     # one encoder, 64 cameras
  rtsp_camera_sim.py --port 8554 --mount open \
      --mount basiccam,auth=basic,user=admin,password=pw \
      --mount digestcam,auth=digest,user=admin,password=pw \
      --request-log /tmp/requests.log

Prints "READY <port>" on stdout once listening (--port 0 picks a free port).
Every RTSP request that reaches the server is appended to --request-log as
"<METHOD> <path>", so a test can prove that a client stopped asking. To
simulate a frozen camera, SIGSTOP the process: the listening socket stays
open, connections are accepted by the kernel and never answered.

Each mount has its own auth: none, basic or digest. gst-rtsp-server's
authentication is per server, so the challenge is chosen per request path
and each mount's users are given a role that only that mount permits.
"""

import argparse
import ctypes
import signal
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

# codec: (encoder, parser, payloader). tune=zerolatency and a keyframe every
# second keep DESCRIBE fast: the server answers once the payloader has seen
# the parameter sets.
CODECS = {
    "h264": ("x264enc tune=zerolatency speed-preset=ultrafast bitrate={kbps} key-int-max={fps}",
             "h264parse config-interval=-1", "rtph264pay name=pay0 pt=96 config-interval=1"),
    "h265": ("x265enc tune=zerolatency speed-preset=ultrafast bitrate={kbps} key-int-max={fps}",
             "h265parse config-interval=-1", "rtph265pay name=pay0 pt=96 config-interval=1"),
    "mjpeg": ("jpegenc quality=50", "jpegparse", "rtpjpegpay name=pay0 pt=26"),
}
APPSRC_CAPS = {
    "h264": "video/x-h264,stream-format=byte-stream,alignment=au",
    "h265": "video/x-h265,stream-format=byte-stream,alignment=au",
    "mjpeg": "image/jpeg",
}


class SharedEncoder:
    """One encoder whose output every mount of its codec repeats.

    64 mounts then cost one encoder instead of 64, which lets a benchmark run
    many cameras on a small machine.
    """

    def __init__(self, codec, source, args):
        encode, parse, _ = CODECS[codec]
        self.sources = []
        self.pipeline = Gst.parse_launch(
            f"{source} ! {encode.format(kbps=args.bitrate, fps=args.fps)} ! {parse} ! "
            f"{APPSRC_CAPS[codec]} ! "
            "appsink name=sink emit-signals=true sync=false max-buffers=4 drop=true")
        self.pipeline.get_by_name("sink").connect("new-sample", self.on_sample)

    def on_sample(self, sink):
        buffer = sink.emit("pull-sample").get_buffer()
        for src in list(self.sources):
            # A shallow copy with no timestamps: each mount's appsrc stamps it
            # with its own pipeline's clock (do-timestamp).
            copy = buffer.copy()
            copy.pts = copy.dts = Gst.CLOCK_TIME_NONE
            src.emit("push-buffer", copy)
        return Gst.FlowReturn.OK

    def attach(self, factory):
        def on_configure(factory, media):
            src = media.get_element().get_by_name("src")
            self.sources.append(src)
            media.connect("unprepared", lambda media: self.sources.remove(src))
        factory.connect("media-configure", on_configure)


class Mount:
    def __init__(self, spec, defaults):
        parts = spec.split(",")
        self.name = parts[0].strip("/")
        self.auth = defaults.auth
        self.user = defaults.user
        self.password = defaults.password
        self.codec = defaults.codec
        for part in parts[1:]:
            key, _, value = part.partition("=")
            if key not in ("auth", "user", "password", "codec"):
                raise SystemExit(f"unknown mount option {key!r} in {spec!r}")
            setattr(self, key, value)
        if self.auth not in ("none", "basic", "digest"):
            raise SystemExit(f"auth must be none, basic or digest in {spec!r}")
        if self.codec not in CODECS:
            raise SystemExit(f"codec must be one of {sorted(CODECS)} in {spec!r}")

    @property
    def path(self):
        return "/" + self.name

    @property
    def role(self):
        return "role-" + self.name


class PerMountAuth(GstRtspServer.RTSPAuth):
    """Per mount: open, or only that mount's scheme offered and accepted."""

    def __init__(self, methods_by_path):
        super().__init__()
        self.methods_by_path = methods_by_path
        self.anonymous = make_token("anonymous")

    def _method(self, ctx):
        # A control URL such as /cam/stream=0 belongs to /cam. None: open.
        path = ctx.uri.abspath.rstrip("/") if ctx.uri is not None else ""
        for mount_path, method in self.methods_by_path.items():
            if path == mount_path or path.startswith(mount_path + "/"):
                return method
        return None

    def _select(self, ctx):
        # GstRTSPAuthMethod is flags in C but an enum to PyGObject, so one
        # scheme is selected per request.
        self.set_supported_methods(self._method(ctx) or GstRtsp.RTSPAuthMethod.BASIC)

    def do_generate_authenticate_header(self, ctx):
        self._select(ctx)
        GstRtspServer.RTSPAuth.do_generate_authenticate_header(self, ctx)

    def do_authenticate(self, ctx):
        if self._method(ctx) is None:
            # Open mounts (and unknown paths, which then get 404) need no
            # credentials: a server-wide default token would make protected
            # mounts answer 404 instead of 401.
            ctx.set_token(self.anonymous)
            return True
        self._select(ctx)
        return GstRtspServer.RTSPAuth.do_authenticate(self, ctx)


def make_token(role):
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", role)
    return token


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--mounts", type=int, default=0, help="add /cam1../camN")
    parser.add_argument("--mount", action="append", default=[],
                        help="NAME[,auth=none|basic|digest][,user=U][,password=P][,codec=C]")
    parser.add_argument("--auth", default="none", help="default auth of a mount")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--codec", default="h264", help="h264, h265 or mjpeg")
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--bitrate", type=int, default=2000, help="kbit/s")
    parser.add_argument("--request-log", help="append '<METHOD> <path>' per request")
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="stop when the parent dies, so a crashed test leaves no cameras")
    parser.add_argument("--shared-encoder", action="store_true",
                        help="one encoder per codec feeds every mount (cheap for many mounts)")
    args = parser.parse_args()

    width, _, height = args.size.partition("x")
    mounts = [Mount(f"cam{i}", args) for i in range(1, args.mounts + 1)]
    mounts += [Mount(spec, args) for spec in args.mount]
    if not mounts:
        mounts = [Mount("cam1", args)]

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))

    methods = {}
    auth = PerMountAuth(methods)
    server.set_auth(auth)

    mount_points = server.get_mount_points()
    factories = []
    source = (f"videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,width={width},"
              f"height={height},framerate={args.fps}/1")
    encoders = {}
    for mount in mounts:
        factory = GstRtspServer.RTSPMediaFactory()
        encode, parse, pay = CODECS[mount.codec]
        if args.shared_encoder:
            if mount.codec not in encoders:
                encoders[mount.codec] = SharedEncoder(mount.codec, source, args)
            encoders[mount.codec].attach(factory)
            factory.set_launch(
                f"( appsrc name=src is-live=true format=time do-timestamp=true max-buffers=2 "
                f"leaky-type=downstream "
                f"caps={APPSRC_CAPS[mount.codec]} ! {parse} ! {pay} )")
        else:
            factory.set_launch(
                f"( {source} ! {encode.format(kbps=args.bitrate, fps=args.fps)} ! {pay} )")
        # One pipeline per mount whatever the number of clients.
        factory.set_shared(True)
        permissions = GstRtspServer.RTSPPermissions()
        role = "anonymous" if mount.auth == "none" else mount.role
        permissions.add_permission_for_role(role, "media.factory.access", True)
        permissions.add_permission_for_role(role, "media.factory.construct", True)
        factory.set_permissions(permissions)
        if mount.auth == "basic":
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(mount.user, mount.password),
                           make_token(mount.role))
            methods[mount.path] = GstRtsp.RTSPAuthMethod.BASIC
        elif mount.auth == "digest":
            auth.add_digest(mount.user, mount.password, make_token(mount.role))
            methods[mount.path] = GstRtsp.RTSPAuthMethod.DIGEST
        mount_points.add_factory(mount.path, factory)
        factories.append((mount, factory))

    log = open(args.request_log, "a", buffering=1) if args.request_log else None

    def on_request(method):
        def handler(client, ctx):
            if log is not None:
                path = ctx.uri.abspath if ctx.uri is not None else "*"
                log.write(f"{method} {path}\n")
            return GstRtsp.RTSPStatusCode.OK
        return handler

    def on_client(server, client):
        for method in ("options", "describe", "setup", "play", "pause", "teardown",
                       "get-parameter", "set-parameter", "announce", "record"):
            client.connect(f"pre-{method}-request", on_request(method.upper()))

    server.connect("client-connected", on_client)

    if server.attach(None) == 0:
        raise SystemExit(f"cannot listen on {args.address}:{args.port}")
    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    if args.exit_with_parent:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    port = server.get_bound_port()
    # Like a real camera, each mount encodes all the time: one shared media
    # per mount, prepared here and never released. Otherwise a DESCRIBE-only
    # client's disconnect unprepares it and the next DESCRIBE races that with
    # a 503.
    for encoder in encoders.values():
        encoder.pipeline.set_state(Gst.State.PLAYING)
    keep = []
    failed = []

    def prepare(mount, media):
        thread = server.get_thread_pool().get_thread(
            GstRtspServer.RTSPThreadType.MEDIA, GstRtspServer.RTSPContext())
        if thread is None or not media.prepare(thread):
            failed.append(mount.path)

    # Each prepare waits for a keyframe; in parallel, startup takes one
    # keyframe interval, not one per mount.
    workers = []
    for mount, factory in factories:
        url = GstRtsp.RTSPUrl.parse(f"rtsp://{args.address}:{port}{mount.path}")[1]
        media = factory.construct(url)
        if media is None:
            raise SystemExit(f"cannot build the pipeline of {mount.path}")
        keep.append(media)
        workers.append(threading.Thread(target=prepare, args=(mount, media)))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failed:
        raise SystemExit(f"cannot start the pipelines of {', '.join(failed)}")
    print(f"READY {port}", flush=True)
    loop.run()


if __name__ == "__main__":
    sys.exit(main())
